/**
 * Scanner for conda explicit lock files (`conda list --explicit`, `conda-lock --kind explicit`):
 * comment lines, an `@EXPLICIT` line, then one package URL per line,
 * `https://conda.anaconda.org/pytorch/linux-64/pytorch-1.13.1-py3.9_cuda11.7_cudnn8.5.0_0.tar.bz2#<md5>`.
 * The version is only in the file name (`<name>-<version>-<build>.tar.bz2|.conda`), so every
 * reference found here is `locked`: judged, never edited by a fix.
 *
 * It reports framework packages (pins `==<version>` with `manager: 'conda'`), Neuron packages
 * (subject `neuron`), `python-<x.y.z>` (a {@link PythonVersionReference}) and, once per channel,
 * the channel the URLs come from (`https://repo.anaconda.com/pkgs/main`). A file whose first line
 * that is neither blank nor a comment is not `@EXPLICIT` is not an explicit file: nothing is
 * reported. Ranges are LSP ranges inside the text. Never throws.
 */
import type { Catalog } from '../catalog/catalog';
import { normalizePackageName } from '../catalog/catalog';
import type { ChannelReference, Position, PythonVersionReference, ScanResult } from '../model';
import { TextIndex } from '../text';
import { pinReference } from './shellInstalls';

/** Files larger than this (UTF-16 code units) are not read. */
const MAX_TEXT = 5_000_000;
const ARCHIVE = /\.(tar\.bz2|conda)$/;

/** The parts of one explicit package URL, as offsets into its line. */
export interface ExplicitPackage {
  /** The channel URL before the platform folder (`https://repo.anaconda.com/pkgs/main`). */
  channel: { start: number; end: number };
  name: { start: number; end: number };
  version: { start: number; end: number };
  build: { start: number; end: number };
}

/**
 * Reads one explicit package URL (`<channel>/<subdir>/<name>-<version>-<build>.tar.bz2[#hash]`);
 * undefined when the line is not one. Offsets are into `line`. Never throws.
 */
export function parseExplicitUrl(line: string): ExplicitPackage | undefined {
  if (line.length > 4000) return undefined;
  const hash = line.indexOf('#');
  const url = hash < 0 ? line : line.slice(0, hash);
  const file = url.lastIndexOf('/');
  if (file <= 0) return undefined;
  const ext = ARCHIVE.exec(url);
  if (!ext) return undefined;
  const stem = url.slice(file + 1, url.length - ext[0].length);
  const lastDash = stem.lastIndexOf('-');
  const versionDash = lastDash > 0 ? stem.lastIndexOf('-', lastDash - 1) : -1;
  if (versionDash <= 0 || lastDash - versionDash < 2 || lastDash === stem.length - 1) return undefined;
  const subdir = url.lastIndexOf('/', file - 1);
  if (subdir <= 0) return undefined;
  const base = file + 1;
  return {
    channel: { start: 0, end: subdir },
    name: { start: base, end: base + versionDash },
    version: { start: base + versionDash + 1, end: base + lastDash },
    build: { start: base + lastDash + 1, end: base + stem.length },
  };
}

/**
 * Scans the text of a conda explicit lock file.
 * @returns references (all `locked`), the `#` comment lines (for suppression directives), one
 *   statement per URL line; notes for framework/Neuron/Python URLs that cannot be read. Never throws.
 */
export function scanCondaExplicit(text: string, catalog: Catalog): ScanResult {
  const out: ScanResult = { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
  if (text.length > MAX_TEXT) return out;
  const index = new TextIndex(text);
  const pos = (o: number) => index.positionAt(Math.min(Math.max(o, 0), text.length));
  const re = /[^\r\n]*(?:\r\n|\n|\r|$)/g;
  let explicit: boolean | undefined;
  const channels = new Set<string>();
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && m[0] !== '') {
    const start = m.index;
    const raw = m[0].replace(/(?<![\r\n])[\r\n]+$/, '');
    const lead = raw.length - raw.trimStart().length;
    const line = raw.trim();
    const at = start + lead;
    if (line.startsWith('#')) {
      out.comments.push({ text: line.slice(1), range: { start: pos(at), end: pos(at + line.length) }, standalone: true });
      continue;
    }
    if (line === '') continue;
    if (explicit === undefined) {
      explicit = line === '@EXPLICIT';
      if (!explicit) return { ...out, comments: [] };
      continue;
    }
    try {
      readUrl(line, at, catalog, pos, channels, out);
    } catch (e) {
      out.notes.push({ range: { start: pos(at), end: pos(at + line.length) }, message: `line skipped: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return out;
}

function readUrl(line: string, at: number, catalog: Catalog, pos: (o: number) => Position, channels: Set<string>, out: ScanResult): void {
  const p = parseExplicitUrl(line);
  const range = (a: number, b: number) => ({ start: pos(at + a), end: pos(at + b) });
  out.statements.push({ startLine: pos(at).line, endLine: pos(at).line });
  if (!p) return;
  const channel = line.slice(p.channel.start, p.channel.end);
  if (!channels.has(channel)) {
    channels.add(channel);
    const ref: ChannelReference = { kind: 'package-channel', subject: channel, version: '', text: channel, range: range(p.channel.start, p.channel.end), channel, manager: 'conda', written: { form: 'lock' } };
    out.references.push(ref);
  }
  const name = line.slice(p.name.start, p.name.end);
  const version = line.slice(p.version.start, p.version.end);
  const normalized = normalizePackageName(name);
  if (normalized === 'python') {
    if (!/^\d+\.\d+/.test(version)) return;
    const ref: PythonVersionReference = {
      kind: 'python-version',
      subject: 'python',
      version,
      text: line.slice(p.name.start, p.version.end),
      range: range(p.name.start, p.version.end),
      versionRange: range(p.version.start, p.version.end),
      locked: true,
    };
    out.references.push(ref);
    return;
  }
  const framework = catalog.frameworkForPackage(normalized);
  const neuron = !framework && catalog.neuron?.isNeuronPackage(normalized) === true;
  if (!framework && !neuron) return;
  // the name and version as one word `pytorch-1.13.1` whose characters sit at their document offsets
  const offsets: number[] = [];
  for (let k = p.name.start; k < p.version.end; k++) offsets.push(at + k);
  const word = { text: line.slice(p.name.start, p.version.end), offsets };
  const n = p.name.end - p.name.start;
  const ref = pinReference(framework ? framework.id : 'neuron', word, pos, { text: name, start: 0, end: n }, [{ operator: '==', version, start: n + 1, end: word.text.length }], { start: n + 1, end: word.text.length }, normalized);
  ref.pin.manager = 'conda';
  ref.pin.locked = true;
  ref.pin.channel = { text: channel, range: range(p.channel.start, p.channel.end) };
  out.references.push(ref);
}
