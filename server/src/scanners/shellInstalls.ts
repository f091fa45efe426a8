/**
 * Package installs inside shell commands (a Dockerfile `RUN`): `pip install`, `pip3 install`,
 * `python -m pip install`, `uv pip install`, `conda|mamba|micromamba install|create` and
 * `apt-get|apt install`. The shell text is split into commands at `&&`, `||`, `;`, `|`, `&`,
 * newlines and parentheses, and into words with POSIX quote removal (single quotes literal; double
 * quotes with `\` escaping `$`, `` ` ``, `"`, `\`; a bare `\` escaping the next character), keeping for
 * every character of a word the document offset it was written at.
 *
 * Arguments are read as each tool reads them: pip's `install` options (optparse: values after a
 * space, after `=`, or glued to a short option) with `-r`/`--requirement` and `-c`/`--constraint`
 * becoming includes and `-i`/`--index-url`/`--extra-index-url` index URLs, requirements read as
 * PEP 508 by the requirements scanner; conda MatchSpecs (`pkg`, `pkg=1.2`, `pkg==1.2`,
 * `pkg=1.2=build`, `pkg>=1.2,<2`, `channel::pkg`, `"pkg 1.2"`); apt `pkg=version` pins of the AWS
 * Neuron packages (`aws-neuronx-*`, `aws-neuron-*`, manager `apt`). pip and conda (manager `conda`)
 * report framework packages (subject the framework's id) and AWS Neuron packages (subject `neuron`:
 * `torch-neuronx`, `neuronx-cc`, `tensorflow-neuron`, … as the requirements scanner's `pinSubject`
 * says); other packages (`neuron`, `torchvision`, `torch-xla`) are not pins.
 * Words holding shell expansions (`$VAR`, `` `cmd` ``) are not guessed. Nothing here throws on any input.
 */
import type { Catalog } from '../catalog/catalog';
import { normalizePackageName } from '../catalog/catalog';
import type { Include, PackagePinReference, Position, Range, ScanNote, SpecifierClause } from '../model';
import { parseRequirementAt, pinSubject } from './requirements';
import { detached } from '../text';

/** A text and, for each of its UTF-16 code units, the document offset it was written at (non-decreasing). */
export interface MappedText {
  text: string;
  offsets: readonly number[];
}

/** A shell word after quote removal, with the document offset of each character. */
export interface ShellWord extends MappedText {
  /** The word contains a shell expansion (`$…`, `` `…` ``) or a glob that the shell would change. */
  expands: boolean;
}

/** Where install findings go; the arrays of a {@link ScanResult} can be passed as they are. */
export interface InstallSink {
  references: { push(reference: PackagePinReference): unknown };
  includes: Include[];
  indexUrls: string[];
  notes: ScanNote[];
}

/** Maps a document offset (UTF-16) to an LSP position; must accept every offset in `[0, text.length]`. */
export type DocPosition = (offset: number) => Position;

/**
 * The document range of characters `[from, to)` of a mapped text: from the first character's
 * offset to just after the last one's. An empty span is an empty range at `from`.
 */
export function spanRange(pos: DocPosition, offsets: readonly number[], from: number, to: number): Range {
  const n = offsets.length;
  if (n === 0) {
    const p = pos(0);
    return { start: p, end: p };
  }
  const f = Math.min(Math.max(from, 0), n);
  const t = Math.min(Math.max(to, f), n);
  if (t <= f) {
    const p = pos(f < n ? offsets[f] : offsets[n - 1] + 1);
    return { start: p, end: p };
  }
  return { start: pos(offsets[f]), end: pos(offsets[t - 1] + 1) };
}

const MAX_SHELL_LENGTH = 200_000;

/**
 * The characters {@link splitShellCommands} treats specially inside a word (blanks, command
 * separators, quotes, escapes, redirections, expansions), as UTF-16 code units; `#` is special only
 * at a word start, which a run inside a word never is.
 */
const SHELL_SPECIAL = new Set([...' \t\n\r;&|()\'"\\<>$`'].map((c) => c.charCodeAt(0)));

/**
 * Offsets `[0, 1, …]` for a text of `n` characters that is the document itself (shared, read-only;
 * it may hold more entries than `n`, never fewer than `min(n, MAX_SHELL_LENGTH)`, the most
 * {@link splitShellCommands} reads).
 */
export function identityOffsets(n: number): readonly number[] {
  const m = Math.min(n, MAX_SHELL_LENGTH);
  for (let i = identity.length; i < m; i++) identity.push(i);
  return identity;
}
const identity: number[] = [];

/**
 * Splits shell text into commands of words. Comments (`#` at a word start) run to the end of the
 * line; redirections (`> file`, `2>&1`, `<<EOF`) are dropped with their targets; `$(…)`, `${…}` and
 * backquotes stay inside the word (marked `expands`). Unterminated quotes end at the end of the text.
 */
export function splitShellCommands(src: MappedText): ShellWord[][] {
  const t = src.text.length > MAX_SHELL_LENGTH ? src.text.slice(0, MAX_SHELL_LENGTH) : src.text;
  const commands: ShellWord[][] = [];
  let words: ShellWord[] = [];
  let chars = ''; // the word so far (after quote removal)
  let offs: number[] = [];
  let inWord = false;
  let expands = false;
  let dropNext = false;
  const push = (c: string, i: number) => {
    inWord = true;
    chars += c;
    offs.push(src.offsets[i] ?? 0);
  };
  const endWord = () => {
    if (inWord) {
      if (dropNext) dropNext = false;
      else words.push({ text: detached(chars), offsets: offs, expands }); // a string of its own, not a view of the document
    }
    chars = '';
    offs = [];
    inWord = false;
    expands = false;
  };
  const endCommand = () => {
    endWord();
    dropNext = false;
    if (words.length) commands.push(words);
    words = [];
  };
  let i = 0;
  while (i < t.length) {
    const c = t[i];
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '\n' || c === '\r' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      endCommand();
      i++;
    } else if (c === "'") {
      inWord = true;
      const close = t.indexOf("'", i + 1);
      const end = close < 0 ? t.length : close;
      for (let k = i + 1; k < end; k++) push(t[k], k);
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      while (i < t.length && t[i] !== '"') {
        if (t[i] === '\\' && i + 1 < t.length && '$`"\\\n'.includes(t[i + 1])) {
          if (t[i + 1] !== '\n') push(t[i + 1], i + 1);
          i += 2;
        } else {
          if (t[i] === '$' || t[i] === '`') expands = true;
          push(t[i], i);
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 < t.length && t[i + 1] !== '\n') push(t[i + 1], i + 1);
      i += 2;
    } else if (c === '#' && !inWord) {
      while (i < t.length && t[i] !== '\n') i++;
    } else if ((c === '<' || c === '>') && (!inWord || /^\d+$/.test(chars))) {
      // redirection: `>file`, `> file`, `2>&1`, `<<EOF`, `<<-'EOF'`; the target word is dropped
      chars = '';
      offs = [];
      inWord = false;
      expands = false;
      while (i < t.length && (t[i] === '<' || t[i] === '>' || t[i] === '-' || t[i] === '&')) i++;
      dropNext = true;
    } else if (c === '$' && (t[i + 1] === '(' || t[i + 1] === '{')) {
      const open = t[i + 1];
      const close = open === '(' ? ')' : '}';
      expands = true;
      let depth = 0;
      let k = i + 1;
      for (; k < t.length; k++) {
        if (t[k] === open) depth++;
        else if (t[k] === close && --depth === 0) break;
      }
      const end = Math.min(k + 1, t.length);
      for (let j = i; j < end; j++) push(t[j], j);
      i = end;
    } else if (c === '`') {
      expands = true;
      const close = t.indexOf('`', i + 1);
      const end = close < 0 ? t.length : close + 1;
      for (let j = i; j < end; j++) push(t[j], j);
      i = end;
    } else {
      if (c === '$') expands = true;
      // this character and the ordinary ones after it (none that the branches above read) in one piece
      let j = i + 1;
      while (j < t.length && !SHELL_SPECIAL.has(t.charCodeAt(j))) j++;
      inWord = true;
      chars += t.slice(i, j);
      for (let k = i; k < j; k++) offs.push(src.offsets[k] ?? 0);
      i = j;
    }
  }
  endCommand();
  return commands;
}

const basename = (w: string) => w.slice(w.lastIndexOf('/') + 1);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Words that may stand before a command without being it. */
const PREFIX_WORDS = new Set(['exec', 'time', 'nohup', 'command', 'builtin', '{', '}', '!', 'then', 'do', 'else', 'if', 'elif', 'while', 'until']);
/** `sudo` options that take a value. */
const SUDO_VALUE_OPTIONS = new Set(['-u', '-g', '-h', '-C', '-D', '-p', '-r', '-t', '-U', '-R', '-T']);

/** Index of the command word after prefixes (`sudo -E`, `env A=1`, `VAR=x`, `exec`, `time`). */
function commandStart(words: readonly ShellWord[]): number {
  let k = 0;
  while (k < words.length) {
    const w = words[k].text;
    if (ASSIGNMENT.test(w) || PREFIX_WORDS.has(w)) k++;
    else if (basename(w) === 'sudo' || basename(w) === 'env') {
      k++;
      while (k < words.length && (words[k].text.startsWith('-') || ASSIGNMENT.test(words[k].text))) {
        k += SUDO_VALUE_OPTIONS.has(words[k].text) && basename(w) === 'sudo' ? 2 : 1;
      }
    } else break;
  }
  return k;
}

/**
 * Finds the installs of one command (words after quote removal) and reports them into `out`.
 * @param pos maps document offsets to LSP positions
 */
export function scanInstallCommand(words: readonly ShellWord[], catalog: Catalog, pos: DocPosition, out: InstallSink): void {
  let k = commandStart(words);
  if (k >= words.length) return;
  const cmd = basename(words[k].text);
  const rest = (from: number) => words.slice(from);
  if (/^pip[0-9.]*$/.test(cmd)) {
    const sub = subcommand(words, k + 1, PIP_GLOBAL_VALUE_OPTIONS);
    if (sub !== undefined && words[sub].text === 'install') pipInstall(rest(sub + 1), catalog, pos, out);
  } else if (/^python[0-9.]*$/.test(cmd)) {
    k++;
    while (k < words.length && words[k].text.startsWith('-') && words[k].text !== '-m' && !words[k].text.startsWith('-m')) k++;
    if (k >= words.length) return;
    let module: string | undefined;
    if (words[k].text === '-m') module = words[++k]?.text;
    else if (words[k].text.startsWith('-m')) module = words[k].text.slice(2);
    if (module === 'pip') {
      const sub = subcommand(words, k + 1, PIP_GLOBAL_VALUE_OPTIONS);
      if (sub !== undefined && words[sub].text === 'install') pipInstall(rest(sub + 1), catalog, pos, out);
    }
  } else if (cmd === 'uv') {
    const pipAt = subcommand(words, k + 1, UV_GLOBAL_VALUE_OPTIONS);
    if (pipAt === undefined || words[pipAt].text !== 'pip') return;
    const sub = subcommand(words, pipAt + 1, UV_GLOBAL_VALUE_OPTIONS);
    if (sub !== undefined && words[sub].text === 'install') pipInstall(rest(sub + 1), catalog, pos, out);
  } else if (cmd === 'conda' || cmd === 'mamba' || cmd === 'micromamba') {
    const sub = subcommand(words, k + 1, CONDA_VALUE_OPTIONS);
    if (sub === undefined) return;
    const verb = words[sub].text;
    if (verb === 'install' || verb === 'create') condaInstall(rest(sub + 1), catalog, pos, out);
    else if (verb === 'run') {
      // `conda run -n env pip install …`: the command after run's options
      let j = sub + 1;
      while (j < words.length && words[j].text.startsWith('-')) j += CONDA_VALUE_OPTIONS.has(words[j].text) ? 2 : 1;
      if (j < words.length) scanInstallCommand(rest(j), catalog, pos, out);
    }
  } else if (cmd === 'apt-get' || cmd === 'apt') {
    const sub = subcommand(words, k + 1, APT_VALUE_OPTIONS);
    if (sub !== undefined && words[sub].text === 'install') aptInstall(rest(sub + 1), pos, out);
  }
}

/** Index of the first word at or after `from` that is not an option (skipping option values), or undefined. */
function subcommand(words: readonly ShellWord[], from: number, valueOptions: ReadonlySet<string>): number | undefined {
  let j = from;
  while (j < words.length && words[j].text.startsWith('-')) j += valueOptions.has(words[j].text) ? 2 : 1;
  return j < words.length ? j : undefined;
}

/** pip's general options that take a value (they may stand before `install`). */
const PIP_GLOBAL_VALUE_OPTIONS = new Set([
  '--log', '--log-file', '--log-explicit-levels', '--proxy', '--retries', '--timeout', '--exists-action', '--trusted-host',
  '--cert', '--client-cert', '--cache-dir', '--python', '--keyring-provider', '--use-feature', '--use-deprecated', '--resume-retries',
]);
/** uv's general options that take a value. */
const UV_GLOBAL_VALUE_OPTIONS = new Set(['--cache-dir', '--directory', '--project', '--config-file', '--color', '-p', '--python', '--python-preference']);
/** `pip install` options (long and short) that take a value, besides includes and index options. */
const PIP_INSTALL_VALUE_OPTIONS = new Set([
  ...PIP_GLOBAL_VALUE_OPTIONS,
  '-e', '--editable', '-t', '--target', '--platform', '--python-version', '--implementation', '--abi', '--root', '--prefix',
  '--src', '--upgrade-strategy', '-C', '--config-settings', '--global-option', '--install-option', '--build-option',
  '--no-binary', '--only-binary', '--progress-bar', '--root-user-action', '--report', '-f', '--find-links', '--hash',
  '--index-strategy', '--torch-backend', '--extra', '--group', '--override', '--exclude-newer', '--resolution', '--prerelease',
  '--link-mode', '--reinstall-package', '--refresh-package', '--no-build-isolation-package', '--keyring-provider',
]);
/** Short pip options that take a value (for `-rfile`, `-Ur file`). */
const PIP_SHORT_VALUE = new Set(['r', 'c', 'i', 'e', 't', 'f', 'C', 'p']);
const PIP_INCLUDES: Record<string, Include['kind']> = { '-r': 'requirements', '--requirement': 'requirements', '-c': 'constraints', '--constraint': 'constraints' };
const PIP_INDEX = new Set(['-i', '--index-url', '--extra-index-url', '--index', '--default-index']);

const rangeIn = (pos: DocPosition, w: MappedText) => (from: number, to: number) => spanRange(pos, w.offsets, from, to);
const slice = (w: ShellWord, from: number, to = w.text.length): ShellWord => ({ text: w.text.slice(from, to), offsets: w.offsets.slice(from, to), expands: w.expands });

/** A path, URL or archive that pip installs as is (never a framework version to judge). */
function isPathOrUrl(req: string): boolean {
  return /^[.~/\\]/.test(req) || req.includes('://') || /^[A-Za-z]:[\\/]/.test(req) || /^(git|hg|svn|bzr)\+/.test(req) ||
    /\.(whl|zip|tgz|tar|tar\.gz|tar\.bz2|tar\.xz)$/i.test(req) || /^[^@;\s=<>!~]*\//.test(req);
}

const NAME_PREFIX = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,200}[A-Za-z0-9])?/;

function pipInstall(args: readonly ShellWord[], catalog: Catalog, pos: DocPosition, out: InstallSink): void {
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w.text === '--') continue;
    if (w.text.startsWith('-') && w.text.length > 1) {
      // the option's name and, when it takes one, its value (glued, after `=`, or the next word)
      let flag: string;
      let value: ShellWord | undefined;
      if (w.text.startsWith('--')) {
        const eq = w.text.indexOf('=');
        flag = eq < 0 ? w.text : w.text.slice(0, eq);
        if (eq >= 0) value = slice(w, eq + 1);
        const takes = flag in PIP_INCLUDES || PIP_INDEX.has(flag) || PIP_INSTALL_VALUE_OPTIONS.has(flag);
        if (takes && !value && i + 1 < args.length) value = args[++i];
        if (!takes) continue;
      } else {
        // optparse short options: `-U`, `-Uq`, `-rfile`, `-Ur file`
        let j = 1;
        while (j < w.text.length && !PIP_SHORT_VALUE.has(w.text[j])) j++;
        if (j >= w.text.length) continue;
        flag = `-${w.text[j]}`;
        if (j + 1 < w.text.length) value = slice(w, w.text[j + 1] === '=' ? j + 2 : j + 1);
        else if (i + 1 < args.length) value = args[++i];
      }
      pipOption(flag, value, w, pos, out);
      continue;
    }
    pipRequirement(w, catalog, pos, out);
  }
}

function pipOption(flag: string, value: ShellWord | undefined, option: ShellWord, pos: DocPosition, out: InstallSink): void {
  if (flag in PIP_INCLUDES) {
    if (value && value.text && !value.expands) out.includes.push({ path: value.text, kind: PIP_INCLUDES[flag], range: spanRange(pos, value.offsets, 0, value.text.length) });
    else if (!value || !value.text) out.notes.push({ range: spanRange(pos, option.offsets, 0, option.text.length), message: `${flag} without a file name` });
  } else if (PIP_INDEX.has(flag) && value && value.text) {
    out.indexUrls.push(value.text);
  }
}

function pipRequirement(w: ShellWord, catalog: Catalog, pos: DocPosition, out: InstallSink): void {
  const req = w.text.trim();
  if (!req || isPathOrUrl(req)) return;
  const lead = w.text.length - w.text.trimStart().length;
  const word = lead ? slice(w, lead) : w;
  if (w.expands) {
    const name = NAME_PREFIX.exec(word.text)?.[0];
    if (name && pinSubject(name, catalog) && word.text.length > name.length) {
      out.notes.push({ range: spanRange(pos, word.offsets, 0, word.text.trimEnd().length), message: `cannot read the version of ${name}: it comes from a shell variable or command; not judged` });
    }
    return;
  }
  const spans = new Map<Range, [number, number]>();
  const located = (from: number, to: number) => {
    const r = spanRange(pos, word.offsets, from, to);
    spans.set(r, [from, to]);
    return r;
  };
  const ref = parseRequirementAt(word.text.trimEnd(), located, catalog, out.notes);
  if (!ref) return;
  const edited = [...ref.pin.clauses.map((c) => c.versionRange), ref.pin.specifierRange];
  if (edited.some((r) => r && !writtenSideBySide(word.offsets, ...(spans.get(r) ?? [0, 0])))) ref.pin.locked = true;
  out.references.push(ref);
}

/**
 * True when characters `[from, to)` of a mapped text were written side by side in the document, with
 * no quote, backslash or line continuation between them. A version that was not (`'tensorflow>=2.14,<2.1'5`
 * reads `<2.15`) is judged, but marked `locked` so that no fix edits it: replacing its range would
 * delete the quotes inside it and change the rest of the command.
 */
function writtenSideBySide(offsets: readonly number[], from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) if (offsets[k] !== offsets[k - 1] + 1) return false;
  return true;
}

/** conda options that take a value. */
const CONDA_VALUE_OPTIONS = new Set([
  '-c', '--channel', '-n', '--name', '-p', '--prefix', '--file', '--repodata-fn', '--solver', '--platform', '--subdir',
  '--experimental', '-r', '--root-prefix', '--rc-file', '--channel-priority', '--cwd', '--revision', '--clone', '--category',
]);

/** One clause of a conda MatchSpec, offsets within the spec. */
export interface CondaClause { operator: string; version: string; start: number; end: number }

/** A conda MatchSpec read from one argument. */
export interface CondaSpec {
  name: string;
  nameStart: number;
  nameEnd: number;
  /** PEP 440 clauses: `pkg=1.13` (conda's fuzzy match) becomes `==1.13.*`, `pkg==1.13.1` stays `==1.13.1`. */
  clauses: CondaClause[];
  /** Offsets of the version specifier as written (`=1.13.1`, `>=1.2,<2`), when there is one. */
  specStart?: number;
  specEnd?: number;
  /** Why the version could not be read (OR specs, bracket syntax); the name is still known. */
  unreadable?: string;
}

const CONDA_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,200}/;
const CONDA_VERSION = /^[A-Za-z0-9_.*+!-]{1,100}/;
const CONDA_OPERATOR = /^(==|>=|<=|!=|~=|=|<|>)/;

/** Conda's fuzzy `=1.13` is PEP 440's `==1.13.*`; a full `x.y.z` (or a `*` glob) is taken as written. */
function fuzzy(version: string): string {
  if (version.endsWith('.*')) return version;
  if (version.endsWith('*')) return `${version.slice(0, -1).replace(/\.$/, '')}.*`;
  return /^\d+(\.\d+)?$/.test(version) ? `${version}.*` : version;
}

/**
 * Reads a conda MatchSpec (`pytorch`, `pytorch=1.13.1`, `pytorch==1.13.1`, `pytorch=1.13.1=py3.9_cuda11.7_0`,
 * `pytorch>=1.12,<1.14`, `pytorch >=1.12`, `pytorch::pytorch=1.13`, `pytorch 1.13.1`,
 * `pytorch[version='>=1.12,<1.14',build=…]`). In the bracket form only the `version` key is read
 * (quoted or not); `specStart`/`specEnd` then delimit the version value inside the brackets. Returns
 * undefined when the text has no package name. Never throws.
 */
export function parseCondaSpec(spec: string): CondaSpec | undefined {
  if (spec.length > 1000) return undefined;
  const channel = spec.lastIndexOf('::');
  const nameStart = channel >= 0 ? channel + 2 : 0;
  const m = CONDA_NAME.exec(spec.slice(nameStart));
  if (!m) return undefined;
  const nameEnd = nameStart + m[0].length;
  const out: CondaSpec = { name: m[0], nameStart, nameEnd, clauses: [] };
  let at = nameEnd;
  const rest = spec.slice(at);
  if (rest.trim() === '') return out;
  if (rest.startsWith('[')) return bracketSpec(spec, at, out);
  if (rest.includes('|')) return { ...out, unreadable: `conda spec ${spec} is not a plain version` };
  if (/^\s/.test(rest)) {
    while (at < spec.length && /\s/.test(spec[at])) at++;
    // `pkg >=1.12`: an operator after the blank reads as if glued to the name
    if (!CONDA_OPERATOR.test(spec.slice(at))) return exactSpec(spec, at, out);
  }
  return operatorSpec(spec, at, spec.length, out);
}

/** `pkg 1.13.1 [build]` (or a bracket version without operator): an exact version, `*` globs fuzzy. */
function exactSpec(spec: string, at: number, out: CondaSpec): CondaSpec {
  const v = CONDA_VERSION.exec(spec.slice(at));
  if (!v) return { ...out, unreadable: `cannot read the version in ${spec}` };
  out.clauses.push({ operator: '==', version: v[0].includes('*') ? fuzzy(v[0]) : v[0], start: at, end: at + v[0].length });
  out.specStart = at;
  out.specEnd = at + v[0].length;
  return out;
}

/** Operator clauses from `at` (`=1.2=build`, `>=1.2,<2`); `end` bounds the text that may follow (`]` of a bracket value). */
function operatorSpec(spec: string, at: number, end: number, out: CondaSpec): CondaSpec {
  out.specStart = at;
  for (;;) {
    const op = CONDA_OPERATOR.exec(spec.slice(at, end));
    if (!op) break;
    at += op[0].length;
    const v = CONDA_VERSION.exec(spec.slice(at, end));
    if (!v) return { ...out, clauses: [], specStart: undefined, unreadable: `operator ${op[0]} without a version in ${spec}` };
    const operator = op[0] === '=' ? '==' : op[0];
    out.clauses.push({ operator, version: op[0] === '=' ? fuzzy(v[0]) : v[0], start: at, end: at + v[0].length });
    at += v[0].length;
    out.specEnd = at;
    if (op[0] === '=' || op[0] === '==') {
      // `=1.2=build`, `==1.2=build`: the build string is not a version
      if (spec[at] === '=') break;
    }
    if (spec[at] !== ',') break;
    at++;
    while (at < end && spec[at] === ' ') at++;
  }
  if (out.clauses.length === 0 || (at < end && spec[at] !== '=')) {
    return { ...out, clauses: [], specStart: undefined, specEnd: undefined, unreadable: `cannot read the version in ${spec}` };
  }
  return out;
}

const BRACKET_KEY = /^[A-Za-z_]{1,30}/;

/** `[version='>=2.8,<2.9', build=…]` after the name at `at`: reads the `version` value with the clause reader. */
function bracketSpec(spec: string, at: number, out: CondaSpec): CondaSpec {
  const unreadable = { ...out, unreadable: `cannot read the bracket options of ${spec}` };
  let i = at + 1;
  let version: [number, number] | undefined;
  while (i < spec.length && spec[i] !== ']') {
    if (spec[i] === ' ' || spec[i] === ',') {
      i++;
      continue;
    }
    const key = BRACKET_KEY.exec(spec.slice(i, i + 31));
    if (!key) return unreadable;
    i += key[0].length;
    while (spec[i] === ' ') i++;
    if (spec[i] !== '=') return unreadable;
    i++;
    while (spec[i] === ' ') i++;
    let vStart = i;
    let vEnd: number;
    if (spec[i] === "'" || spec[i] === '"') {
      vStart = i + 1;
      vEnd = spec.indexOf(spec[i], vStart);
      if (vEnd < 0) return unreadable;
      i = vEnd + 1;
    } else {
      while (i < spec.length && spec[i] !== ',' && spec[i] !== ']') i++;
      vEnd = i;
      while (vEnd > vStart && spec[vEnd - 1] === ' ') vEnd--;
    }
    if (key[0] === 'version') version = [vStart, vEnd];
  }
  if (spec[i] !== ']') return unreadable;
  if (!version) return out; // `pkg[build=…]`: no version
  const [vs, ve] = version;
  const value = spec.slice(vs, ve);
  if (value.includes('|')) return { ...out, unreadable: `conda spec ${spec} is not a plain version` };
  const read = CONDA_OPERATOR.test(value) ? operatorSpec(spec, vs, ve, out) : exactSpec(spec, vs, out);
  if (!read.unreadable && read.specEnd !== ve) return unreadable;
  return read;
}

/**
 * Builds a pin reference from a name and clauses located in one word (a shell word, or a YAML
 * scalar of a conda environment file): `w.offsets` maps each character to its document offset,
 * `name`, `clauses` and `spec` hold offsets into `w.text`. The reference's text runs from the
 * word's start to the end of the specifier (or of the name when unpinned). Never throws.
 */
export function pinReference(
  subject: string,
  w: MappedText,
  pos: DocPosition,
  name: { text: string; start: number; end: number },
  clauses: CondaClause[],
  spec: { start?: number; end?: number },
  normalizedName: string,
): PackagePinReference {
  const range = rangeIn(pos, w);
  const located: SpecifierClause[] = clauses.map((c) => {
    const clause: SpecifierClause = { operator: c.operator, version: c.version, versionRange: range(c.start, c.end) };
    const written = w.text.slice(c.start, c.end);
    if (written !== c.version) clause.written = written; // conda's fuzzy `=1.13` read as `1.13.*`
    return clause;
  });
  const hasSpec = spec.start !== undefined && spec.end !== undefined && located.length > 0;
  const end = hasSpec ? spec.end! : name.end;
  const exact = located.length === 1 && located[0].operator === '==' && !located[0].version.includes('*');
  // quotes or escapes inside a version or the specifier: judged, never edited (see writtenSideBySide)
  const split = clauses.some((c) => !writtenSideBySide(w.offsets, c.start, c.end)) || (hasSpec && !writtenSideBySide(w.offsets, spec.start!, spec.end!));
  return {
    kind: 'framework-package-pin',
    subject,
    version: exact ? located[0].version : located.map((c) => `${c.operator}${c.version}`).join(','),
    text: w.text.slice(0, end),
    range: range(0, end),
    pin: {
      name: name.text,
      normalizedName,
      nameRange: range(name.start, name.end),
      specifier: hasSpec ? w.text.slice(spec.start, spec.end) : '',
      specifierRange: hasSpec ? range(spec.start!, spec.end!) : undefined,
      clauses: located,
      hasHashes: false,
      constraint: false,
      ...(split ? { locked: true } : {}),
    },
  };
}

function condaInstall(args: readonly ShellWord[], catalog: Catalog, pos: DocPosition, out: InstallSink): void {
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w.text.startsWith('-')) {
      if (CONDA_VALUE_OPTIONS.has(w.text)) i++;
      continue;
    }
    const spec = parseCondaSpec(w.text);
    if (!spec) continue;
    const subject = pinSubject(spec.name, catalog);
    if (!subject) continue;
    if (w.expands || spec.unreadable) {
      out.notes.push({ range: spanRange(pos, w.offsets, 0, w.text.length), message: w.expands ? `cannot read the version of ${spec.name}: it comes from a shell variable or command; not judged` : spec.unreadable! });
      continue;
    }
    const ref = pinReference(subject, w, pos, { text: spec.name, start: spec.nameStart, end: spec.nameEnd }, spec.clauses, { start: spec.specStart, end: spec.specEnd }, normalizePackageName(spec.name));
    // a MatchSpec, as in conda environment files (a Neuron package from conda is what `neuron-conda-package` judges)
    ref.pin.manager = 'conda';
    out.references.push(ref);
  }
}

/** apt options that take a value. */
const APT_VALUE_OPTIONS = new Set(['-o', '--option', '-t', '--target-release', '--default-release', '-c', '--config-file', '-a', '--host-architecture']);
const NEURON_APT = /^(aws-neuronx?-[a-z0-9][a-z0-9.+-]{0,100})(?::[a-z0-9]{1,20})?(?:=([A-Za-z0-9.+~:*-]{0,100}))?$/;

function aptInstall(args: readonly ShellWord[], pos: DocPosition, out: InstallSink): void {
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w.text.startsWith('-')) {
      if (APT_VALUE_OPTIONS.has(w.text)) i++;
      continue;
    }
    const m = NEURON_APT.exec(w.text);
    if (!m) {
      if (/^aws-neuronx?-/.test(w.text) && !/^aws-neuronx?-[^=]*\*/.test(w.text)) {
        out.notes.push({ range: spanRange(pos, w.offsets, 0, w.text.length), message: `cannot read the Neuron package pin ${w.text}; not judged` });
      }
      continue;
    }
    const name = m[1];
    const version = m[2];
    const eq = w.text.indexOf('=');
    const clauses: CondaClause[] = version ? [{ operator: '==', version, start: eq + 1, end: w.text.length }] : [];
    const ref = pinReference('neuron', w, pos, { text: name, start: 0, end: name.length }, clauses, version ? { start: eq, end: w.text.length } : {}, name.toLowerCase());
    // an apt pin `=2.22.14.0-*` is an exact Debian version (with an optional glob), not a PEP 440 specifier
    ref.version = version ?? '';
    ref.pin.manager = 'apt';
    out.references.push(ref);
  }
}

/** Scans shell text for installs: splits it into commands and reads each one. */
export function scanShellInstalls(src: MappedText, catalog: Catalog, pos: DocPosition, out: InstallSink): void {
  for (const words of splitShellCommands(src)) scanInstallCommand(words, catalog, pos, out);
}
