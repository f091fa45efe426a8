/**
 * Python and OS end of life, retired things (Chainer, Apache MXNet, Amazon Elastic Inference,
 * Python 2 images, multi-framework Conda DLAMIs, Neuron conda packages) and DLAMI families, as the
 * rules `python-end-of-life`, `os-end-of-life`, `discontinued`, `neuron-conda-package` and the
 * DLAMI recogniser query them. Built from a validated `lifecycle.toml` ({@link parseLifecycleFile});
 * immutable; no I/O and no clock (callers compare the dates with their own `asOf`).
 *
 * Every parser here (version / OS spellings, DLAMI names and SSM paths, globs) runs in time linear
 * in its input (no backtracking regular expressions over the input), never throws, and reports
 * offsets (UTF-16 code units, end exclusive) that lie inside the input.
 */
import type { CalendarDay } from '../dates';
import { isCalendarDay, toEpochDay } from '../dates';
import { CatalogError, problemsError, schemaError } from './errors';
import type { DlamiArch, LifecycleFile, LifecycleSourceRow, OsId, RetiredKind } from './lifecycleSchema';
import { lifecycleFileSchema, retiredDateFields } from './lifecycleSchema';

// ---------------------------------------------------------------------------
// Public record types

/** A Python `major.minor` and its end of life (endoflife.date; DLAMI §Dependency end-of-support). */
export interface PythonRelease {
  /** `major.minor`, e.g. `3.10`. */
  version: string;
  released: CalendarDay;
  /** End of bugfix releases (security fixes only afterwards), when the source has a day. */
  endOfBugfix?: CalendarDay;
  /** End of security fixes: past this day the Python is end of life (rule `python-end-of-life`). */
  endOfLife: CalendarDay;
  latestPatch?: string;
  latestPatchReleased?: CalendarDay;
  pep?: string;
  source: string;
  /** The DLAMI deprecation notice of this Python (2.7: 2020-01-01, 3.6: 2020-06-15). */
  dlamiDeprecated?: { on: CalendarDay; source: string; note?: string };
}

/** Another value a source gives for a field whose chosen value comes from elsewhere. */
export interface ConflictingValue {
  field: string;
  /** `YYYY-MM-DD` or `YYYY-MM`. */
  value: string;
  source: string;
  note: string;
}

/** An OS release (Ubuntu LTS, Amazon Linux 1 / 2 / 2023) and its support dates. */
export interface OsRelease {
  id: OsId;
  /** `22.04`, `2023`, `2`, `1`. */
  version: string;
  /** `ubuntu-22.04`, `amazon-linux-2023`: the form used in DLAMI family `os` lists and SSM paths. */
  key: string;
  name: string;
  codename?: string;
  lts: boolean;
  released: CalendarDay;
  /** endoflife.date `eoas`: Ubuntu hardware & maintenance updates, Amazon Linux "standard support". */
  endOfActiveSupport?: CalendarDay;
  /**
   * endoflife.date `eol`: Ubuntu's end of standard security maintenance, Amazon Linux's end of
   * security support. The day rule `os-end-of-life` compares `asOf` with.
   */
  endOfLife: CalendarDay;
  /** Ubuntu Pro expanded security maintenance. */
  endOfExtendedSupport?: CalendarDay;
  latest?: string;
  /** Amazon Linux 1 only: the "Amazon Linux AMI" releases (2010.11 … 2018.03) this record covers. */
  cycles: readonly string[];
  source: string;
  /** The DLAMI support-policy OS table's end of patch, kept beside `endOfLife` when they differ. */
  dlamiEndOfPatch?: { on: CalendarDay; source: string };
  /** DLAMI deprecation notice of this OS (Ubuntu 16.04, Amazon Linux 1). */
  dlamiDeprecated?: { on: CalendarDay; source: string };
  conflicts: readonly ConflictingValue[];
  note?: string;
}

/**
 * A date as a source gives it. `on` is `YYYY-MM-DD`, or `YYYY-MM` when the source names only the
 * month (`monthOnly`). `effectiveDay` is `on` itself, or the last day of that month for a
 * month-only date, so that "past `end`" never fires before the source's statement is true.
 */
export interface DatedFact {
  on: string;
  monthOnly: boolean;
  effectiveDay: CalendarDay;
  source?: string;
}

/** What a retired thing matches in references. All lists may be empty. */
export interface RetiredMatch {
  /** Exact ECR repository names. */
  repositories: readonly string[];
  /** Globs over ECR repository names (`*-eia`). */
  repositoryPatterns: readonly string[];
  /** Globs over accelerator types (`ml.eia*`). */
  acceleratorTypes: readonly string[];
  /** PEP 503-normalised pip package names. */
  packages: readonly string[];
  packagePatterns: readonly string[];
  /** Conda package names (matched only when the package comes from conda). */
  condaPackages: readonly string[];
  condaChannels: readonly string[];
  /** Globs over DLAMI names. */
  dlamiNames: readonly string[];
  /** DLAMI family ids (see {@link DlamiFamily}). */
  dlamiFamilies: readonly string[];
  /** Globs over image tags (`*-py2-*`). */
  imageTags: readonly string[];
  /** Framework ids (`mxnet`, `chainer`) as used by SageMaker SDK estimators and `image_uris.retrieve`. */
  frameworks: readonly string[];
  /** Python `major.minor` versions. */
  pythonVersions: readonly string[];
}

/** A retired framework, service, image variant, DLAMI family or package distribution. */
export interface RetiredThing {
  id: string;
  name: string;
  kind: RetiredKind;
  summary: string;
  announced?: DatedFact;
  noNewCustomers?: DatedFact;
  /** The day (or month) from which the thing is retired, when the sources give one. */
  end?: DatedFact;
  endNote?: string;
  /** For things that end with a release rather than a day (Neuron conda packages: 1.13.0). */
  lastVersion?: string;
  lastVersionReleased?: CalendarDay;
  firstVersionWithout?: string;
  otherDates: readonly { on: string; monthOnly: boolean; what: string; source: string }[];
  /** Framework ids (of the framework catalog) to migrate to. */
  successorFrameworks: readonly string[];
  /** DLAMI family ids to migrate to. */
  successorDlamiFamilies: readonly string[];
  migration: string;
  migrationSource?: string;
  sources: readonly string[];
  match: RetiredMatch;
}

/** A DLAMI name family with its name and SSM parameter templates. */
export interface DlamiFamily {
  id: string;
  name: string;
  accelerator: 'nvidia-gpu' | 'neuron' | 'habana';
  arch: readonly DlamiArch[];
  /** The single framework of a single-framework family (`pytorch`, `tensorflow`, `mxnet`, `jax`, `vllm`). */
  framework?: string;
  multiFramework: boolean;
  bundledFrameworks: readonly string[];
  /** OS keys (`ubuntu-22.04`, `amazon-linux-2023`) seen for this family in the sources. */
  os: readonly string[];
  namePatterns: readonly string[];
  ssmPatterns: readonly string[];
  /** Id of the {@link RetiredThing} this family belongs to, if retired. */
  retired?: string;
  note?: string;
  sources: readonly string[];
  exampleNames: readonly string[];
  exampleSsmParameters: readonly string[];
}

/** A piece of the input: `text === input.slice(start, end)`. */
export interface TextSpan {
  text: string;
  start: number;
  end: number;
}

/** The pieces a DLAMI name or SSM path carries. Each is absent when the template has no such placeholder or an optional group was not present. */
export interface DlamiParts {
  frameworkVersion?: TextSpan;
  cudaVersion?: TextSpan;
  /** `Version NN.N` of the older DLAMIs (the number only). */
  version?: TextSpan;
  /** The OS text (`Ubuntu 22.04`, `AL2023`, `ubuntu-22.04`); `os` is set when it is not a wildcard. */
  os?: TextSpan & { os?: { id: OsId; version: string } };
  /** The build date (`20260214`); `day` is set for a real calendar day. */
  date?: TextSpan & { day?: CalendarDay };
  arch?: TextSpan;
}

/** A recognised DLAMI name (or name filter) or SSM parameter path. */
export interface DlamiRecognition {
  family: DlamiFamily;
  kind: 'name' | 'ssm';
  /** The template that matched. */
  pattern: string;
  /** Span of the recognised text in the input, including an `amazon/` or `AWS ` prefix of a name. */
  start: number;
  end: number;
  parts: DlamiParts;
  /** The text holds `*` or `?` (an EC2 name filter): several AMIs may match it. */
  wildcard: boolean;
  /** A filter ending in `*` before the template's end (e.g. `… PyTorch 2.0.1*`): later parts are unknown. */
  truncated: boolean;
}

/** What {@link LifecycleFacts.retiredFor} can be asked about. Every field is optional; results of all given fields are merged. */
export interface RetiredQuery {
  /** ECR repository name; an image URI or `repo:tag` is reduced to the repository name. */
  repository?: string;
  /** `ml.eia2.medium`, `eia1.large`. */
  acceleratorType?: string;
  /** A pip package name (any spelling; normalised as PEP 503 does). */
  packageName?: string;
  /** A package installed from conda. */
  condaPackage?: string;
  condaChannel?: string;
  /** A DLAMI name or EC2 name filter. */
  dlamiName?: string;
  /** An image tag (`4.1.0-gpu-py2`). */
  imageTag?: string;
  /** A framework id (`mxnet`, `chainer`). */
  framework?: string;
  /** A Python version in any spelling accepted by {@link normalizePythonVersion}. */
  pythonVersion?: string;
}

// ---------------------------------------------------------------------------
// Normalisers (pure, exported)

const MAX_INPUT = 512;

/**
 * The Python `major.minor` a version text names, or undefined.
 * Accepts `3.10`, `3.10.12`, `3.10.*`, `3.7-slim`, `python3.10`, `Python 3.10`, `python=3.10`,
 * `py3.10`, `py310`, `py27`, `cp39`, and `py2` / `python2` (Python 2 = 2.7, the only Python 2 the
 * images and environments in scope carry). `py3`, `python3`, bare `310` and other text give
 * undefined. Never throws.
 */
export function normalizePythonVersion(text: string): string | undefined {
  if (typeof text !== 'string' || text.length > MAX_INPUT) return undefined;
  let t = text.trim().toLowerCase();
  const prefix = /^(?:python|py|cp)/.exec(t);
  const hadPrefix = prefix !== null;
  if (prefix) t = t.slice(prefix[0].length);
  t = t.replace(/^[\s=:_-]{0,4}/, '');
  let m = /^(\d{1,2})\.(\d{1,3})(?!\d)/.exec(t);
  if (m) return `${Number(m[1])}.${Number(m[2])}`;
  if (!hadPrefix) return undefined;
  m = /^(\d)(\d{1,2})(?![\d.])/.exec(t);
  if (m) return `${m[1]}.${Number(m[2])}`;
  if (/^2(?![\d.])/.test(t)) return '2.7';
  return undefined;
}

/**
 * The OS a text names: `{ id: 'ubuntu', version: '20.04' }` or `{ id: 'amazon-linux', version }`
 * with version `1`, `2` or `2023`; undefined when not recognised. Never throws.
 *
 * Ubuntu: `ubuntu20.04`, `ubuntu:20.04`, `Ubuntu 20.04`, `Ubuntu 20.04.6 LTS`, `ubuntu-20.04`,
 * `ubuntu-20-04`, `ubuntu2004`, `ubuntu20` (a bare major means its `.04` LTS, as DLC/Neuron texts use it).
 * Amazon Linux: `amzn2023`, `al2023`, `AL2023`, `Amazon Linux 2023`, `amazon-linux-2023`,
 * `amazonlinux:2023`, `amazonlinux2`, `amzn2`, `al2`, `Amazon Linux 2`, `amazonlinux:2.0.2024…`;
 * Amazon Linux 1: `Amazon Linux`, `Amazon Linux AMI`, `amazonlinux:1`, `amzn1`, `amazonlinux:2018.03`,
 * `Amazon Linux AMI 2018.03`. `2022` (the preview name of AL2023) gives `2023`. Codenames
 * (`jammy`) need the data: see {@link LifecycleFacts.osEol}.
 */
export function normalizeOs(text: string): { id: OsId; version: string } | undefined {
  if (typeof text !== 'string' || text.length > MAX_INPUT) return undefined;
  const t = text.trim().toLowerCase();
  let m = /^ubuntu[\s:_-]{0,3}(\d{2})(?:[.-]?(\d{2}))?(?:\.\d{1,3})?(?:\s{1,3}lts)?$/.exec(t);
  if (m) return { id: 'ubuntu', version: `${m[1]}.${m[2] ?? '04'}` };
  m = /^(?:amazon[\s_-]{0,3}linux|amazonlinux|amzn|al)[\s:_-]{0,3}/.exec(t);
  if (!m) return undefined;
  const bare = /^(?:amazon[\s_-]{0,3}linux|amazonlinux)/.test(t);
  const rest = t.slice(m[0].length);
  if (rest === '' || rest === 'ami') return bare ? { id: 'amazon-linux', version: '1' } : undefined;
  if (/^(?:2023|2022)(?:[.-]\S*)?$/.test(rest)) return { id: 'amazon-linux', version: '2023' };
  if (/^(?:ami[\s-]{0,3})?201\d\.\d{2}(?:[.-]\S*)?$/.test(rest)) return { id: 'amazon-linux', version: '1' };
  if (/^2(?:[.-]\S*)?$/.test(rest)) return { id: 'amazon-linux', version: '2' };
  if (/^1(?:[.-]\S*)?$/.test(rest)) return { id: 'amazon-linux', version: '1' };
  return undefined;
}

/** PEP 503 normalisation of a package name. */
function normalizePackage(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * Compiles a glob with `*` (any run of characters, possibly empty) and `?` (one character) into a
 * case-insensitive whole-string matcher. Worst case O(pattern × text), no backtracking blow-up.
 */
export function compileGlob(pattern: string): (text: string) => boolean {
  const p = pattern.toLowerCase();
  return (input: string) => {
    if (typeof input !== 'string') return false;
    const s = input.toLowerCase();
    let pi = 0;
    let si = 0;
    let star = -1;
    let mark = 0;
    while (si < s.length) {
      if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === s[si]))) {
        pi++;
        si++;
      } else if (pi < p.length && p[pi] === '*') {
        star = pi++;
        mark = si;
      } else if (star >= 0) {
        pi = star + 1;
        si = ++mark;
      } else return false;
    }
    while (pi < p.length && p[pi] === '*') pi++;
    return pi === p.length;
  };
}

// ---------------------------------------------------------------------------
// DLAMI templates

type Placeholder = 'framework_version' | 'cuda_version' | 'version' | 'date' | 'os' | 'arch';
const PLACEHOLDERS: ReadonlySet<string> = new Set(['framework_version', 'cuda_version', 'version', 'date', 'os', 'arch']);

type Token = { t: 'lit'; text: string } | { t: 'ph'; name: Placeholder } | { t: 'opt'; tokens: Token[] };

interface CompiledTemplate {
  family: DlamiFamily;
  kind: 'name' | 'ssm';
  pattern: string;
  tokens: Token[];
  /** Lower-cased literal the template starts with, for a quick prefix check. */
  lead: string;
}

/**
 * Parses a template into tokens. Throws `Error` with a message on an unknown placeholder or an
 * unbalanced `[`, `]`, `{`, `}` (the file parser turns it into a {@link CatalogError}).
 */
export function compileDlamiTemplate(template: string): Token[] {
  const top: Token[] = [];
  let cur = top;
  let inOpt = false;
  let lit = '';
  const flush = () => {
    if (lit) cur.push({ t: 'lit', text: lit.toLowerCase() });
    lit = '';
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '[') {
      if (inOpt) throw new Error(`nested [ in ${JSON.stringify(template)}`);
      flush();
      const group: Token = { t: 'opt', tokens: [] };
      top.push(group);
      cur = group.tokens;
      inOpt = true;
    } else if (c === ']') {
      if (!inOpt) throw new Error(`unbalanced ] in ${JSON.stringify(template)}`);
      flush();
      if (cur.length === 0) throw new Error(`empty [] in ${JSON.stringify(template)}`);
      cur = top;
      inOpt = false;
    } else if (c === '{') {
      const j = template.indexOf('}', i);
      const name = j > i ? template.slice(i + 1, j) : '';
      if (!PLACEHOLDERS.has(name)) throw new Error(`unknown placeholder {${name}} in ${JSON.stringify(template)}`);
      flush();
      const prev = cur[cur.length - 1];
      if (prev && prev.t === 'ph') throw new Error(`two placeholders without text between them in ${JSON.stringify(template)}`);
      cur.push({ t: 'ph', name: name as Placeholder });
      i = j;
    } else if (c === '}') {
      throw new Error(`unbalanced } in ${JSON.stringify(template)}`);
    } else lit += c;
  }
  if (inOpt) throw new Error(`unclosed [ in ${JSON.stringify(template)}`);
  flush();
  if (top.length === 0 || top[0].t !== 'lit') throw new Error(`template must start with literal text: ${JSON.stringify(template)}`);
  return top;
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isWild = (c: string) => c === '*' || c === '?';
const isAlnum = (c: string) => isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

function placeholderChar(name: Placeholder, kind: 'name' | 'ssm', c: string): boolean {
  switch (name) {
    case 'framework_version':
    case 'cuda_version':
    case 'version':
      return isDigit(c) || c === '.' || isWild(c);
    case 'date':
      return isDigit(c) || isWild(c);
    case 'arch':
      return (c >= 'a' && c <= 'z') || isDigit(c) || c === '_';
    case 'os':
      return isAlnum(c) || c === '.' || c === '-' || isWild(c) || (kind === 'name' && (c === ' ' || c === '_'));
  }
}

interface MatchState {
  pos: number;
  parts: DlamiParts;
  wildcard: boolean;
  truncated: boolean;
}

const MAX_PLACEHOLDER = 64;

/**
 * Matches `tokens` against `text` (lower-cased copy `lower`) from `state.pos`. Deterministic: each
 * placeholder takes the longest run of its characters (then drops trailing `.`/`-`), each optional
 * group is tried once. In `filter` mode a remaining text of exactly `*` ends the match early
 * (a truncated name filter). Returns false when the text does not fit.
 */
function matchTokens(tokens: Token[], text: string, lower: string, state: MatchState, family: DlamiFamily, kind: 'name' | 'ssm', filter: boolean, inOpt = false): boolean {
  for (const tok of tokens) {
    if (tok.t === 'lit') {
      if (!lower.startsWith(tok.text, state.pos)) {
        // A name filter that ends in `*` where this literal would start ("… PyTorch 2.0.1 *" is a
        // date wildcard, but "… PyTorch 2.0.1*" ends early: the placeholder took the `*`).
        // Inside an optional group the group is simply absent.
        if (filter && !inOpt && text.endsWith('*') && (state.pos === text.length || (state.pos === text.length - 1 && text[state.pos] === '*'))) {
          state.truncated = true;
          state.wildcard = true;
          state.pos = text.length;
          return true;
        }
        return false;
      }
      state.pos += tok.text.length;
    } else if (tok.t === 'ph') {
      const start = state.pos;
      let end = start;
      while (end < text.length && end - start < MAX_PLACEHOLDER && placeholderChar(tok.name, kind, text[end])) end++;
      while (end > start && (text[end - 1] === '.' || text[end - 1] === '-' || text[end - 1] === ' ')) end--;
      if (end === start) return false;
      const value = text.slice(start, end);
      const span: TextSpan = { text: value, start, end };
      const wild = /[*?]/.test(value);
      if (wild) state.wildcard = true;
      switch (tok.name) {
        case 'framework_version':
        case 'cuda_version':
        case 'version':
          if (!isDigit(value[0]) && !isWild(value[0])) return false;
          if (tok.name === 'framework_version') state.parts.frameworkVersion = span;
          else if (tok.name === 'cuda_version') state.parts.cudaVersion = span;
          else state.parts.version = span;
          break;
        case 'date': {
          if (!wild && value.length !== 8) return false;
          const iso = wild ? '' : `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
          state.parts.date = isCalendarDay(iso) ? { ...span, day: iso } : span;
          break;
        }
        case 'os': {
          const os = wild ? undefined : normalizeOs(value);
          if (!wild && !os) return false;
          state.parts.os = os ? { ...span, os } : span;
          break;
        }
        case 'arch':
          if (!(family.arch as readonly string[]).includes(value)) return false;
          state.parts.arch = span;
          break;
      }
      state.pos = end;
    } else {
      const trial: MatchState = { pos: state.pos, parts: { ...state.parts }, wildcard: state.wildcard, truncated: false };
      if (matchTokens(tok.tokens, text, lower, trial, family, kind, filter, true)) {
        state.pos = trial.pos;
        state.parts = trial.parts;
        state.wildcard = trial.wildcard;
        state.truncated = trial.truncated;
      }
    }
  }
  return true;
}

const NAME_PREFIXES = ['amazon/', 'aws '];

// ---------------------------------------------------------------------------
// The query class

function fact(on: string | undefined, monthOnly: boolean, source: string | undefined): DatedFact | undefined {
  if (on === undefined) return undefined;
  return { on, monthOnly, effectiveDay: effectiveDay(on), source };
}

/** `YYYY-MM-DD` as is; `YYYY-MM` → the last day of that month. */
function effectiveDay(on: string): CalendarDay {
  if (isCalendarDay(on)) return on;
  const [y, m] = on.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Reduces `763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference-eia:1.5.1-cpu` to `pytorch-inference-eia`. */
function repositoryName(text: string): string {
  let s = text.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  if (slash >= 0) s = s.slice(slash + 1);
  const colon = s.indexOf(':');
  if (colon >= 0) s = s.slice(0, colon);
  return s.toLowerCase();
}

interface GlobEntry {
  match: (s: string) => boolean;
  thing: RetiredThing;
}

/**
 * Queries over the lifecycle data. Lookups by Python version, OS, retired id, repository, package,
 * framework and family are Map lookups; glob lists are short (< 20 entries) and their answers are
 * memoised; DLAMI recognition tries only the templates whose leading literal the input starts with.
 */
export class LifecycleFacts {
  readonly generated: CalendarDay;
  readonly dataAsOf?: CalendarDay;
  /** Python releases, oldest first. */
  readonly pythonReleases: readonly PythonRelease[];
  readonly osReleases: readonly OsRelease[];
  readonly retiredThings: readonly RetiredThing[];
  readonly dlamiFamilies: readonly DlamiFamily[];
  private readonly sources: Record<string, LifecycleSourceRow>;
  private readonly pythonByVersion = new Map<string, PythonRelease>();
  private readonly osByKey = new Map<string, OsRelease>();
  private readonly osByCodename = new Map<string, OsRelease>();
  private readonly retiredById = new Map<string, RetiredThing>();
  private readonly familyById = new Map<string, DlamiFamily>();
  private readonly byRepository = new Map<string, RetiredThing[]>();
  private readonly byPackage = new Map<string, RetiredThing[]>();
  private readonly byCondaPackage = new Map<string, RetiredThing[]>();
  private readonly byCondaChannel = new Map<string, RetiredThing[]>();
  private readonly byFramework = new Map<string, RetiredThing[]>();
  private readonly byPython = new Map<string, RetiredThing[]>();
  private readonly byFamily = new Map<string, RetiredThing[]>();
  private readonly repositoryGlobs: GlobEntry[] = [];
  private readonly acceleratorGlobs: GlobEntry[] = [];
  private readonly packageGlobs: GlobEntry[] = [];
  private readonly dlamiNameGlobs: GlobEntry[] = [];
  private readonly imageTagGlobs: GlobEntry[] = [];
  private readonly nameTemplates: CompiledTemplate[] = [];
  private readonly ssmTemplates: CompiledTemplate[] = [];
  private readonly memo = new Map<string, unknown>();

  /** @throws Error when a DLAMI template does not compile (parseLifecycleFile reports it as CatalogError first). */
  constructor(file: LifecycleFile) {
    this.generated = file.catalog.generated;
    this.dataAsOf = file.catalog.data_as_of;
    this.sources = file.sources;

    this.pythonReleases = file.python
      .map((p) => ({
        version: p.version,
        released: p.released,
        endOfBugfix: p.end_of_bugfix,
        endOfLife: p.end_of_life,
        latestPatch: p.latest_patch,
        latestPatchReleased: p.latest_patch_released,
        pep: p.pep,
        source: p.source,
        dlamiDeprecated: p.dlami_deprecated ? { on: p.dlami_deprecated, source: p.dlami_deprecated_source ?? p.source, note: p.dlami_deprecated_note } : undefined,
      }))
      .sort((a, b) => compareMinor(a.version, b.version));
    for (const p of this.pythonReleases) this.pythonByVersion.set(p.version, p);

    this.osReleases = file.os.map((o) => ({
      id: o.id,
      version: o.version,
      key: `${o.id}-${o.version}`,
      name: o.name,
      codename: o.codename,
      lts: o.lts ?? false,
      released: o.released,
      endOfActiveSupport: o.end_of_active_support,
      endOfLife: o.end_of_life,
      endOfExtendedSupport: o.end_of_extended_support,
      latest: o.latest,
      cycles: o.cycles ?? [],
      source: o.source,
      dlamiEndOfPatch: o.dlami_end_of_patch ? { on: o.dlami_end_of_patch, source: o.dlami_end_of_patch_source ?? o.source } : undefined,
      dlamiDeprecated: o.dlami_deprecated ? { on: o.dlami_deprecated, source: o.dlami_deprecated_source ?? o.source } : undefined,
      conflicts: o.conflicts,
      note: o.note,
    }));
    for (const o of this.osReleases) {
      this.osByKey.set(o.key, o);
      const word = o.codename?.split(/\s+/)[0]?.toLowerCase();
      if (word) this.osByCodename.set(word, o);
    }

    this.dlamiFamilies = file.dlami_families.map((f) => ({
      id: f.id,
      name: f.name,
      accelerator: f.accelerator,
      arch: f.arch,
      framework: f.framework,
      multiFramework: f.multi_framework,
      bundledFrameworks: f.bundled_frameworks ?? [],
      os: f.os,
      namePatterns: f.name_patterns,
      ssmPatterns: f.ssm_patterns,
      retired: f.retired,
      note: f.note,
      sources: f.sources,
      exampleNames: f.example_names,
      exampleSsmParameters: f.example_ssm_parameters,
    }));
    for (const f of this.dlamiFamilies) {
      this.familyById.set(f.id, f);
      for (const pattern of f.namePatterns) this.nameTemplates.push(compiled(f, 'name', pattern));
      for (const pattern of f.ssmPatterns) this.ssmTemplates.push(compiled(f, 'ssm', pattern));
    }

    this.retiredThings = file.retired.map((r) => {
      const monthOnly = new Set<string>(r.month_only);
      const m = r.match;
      return {
        id: r.id,
        name: r.name,
        kind: r.kind,
        summary: r.summary,
        announced: fact(r.announced, monthOnly.has('announced'), r.announced_source),
        noNewCustomers: fact(r.no_new_customers, monthOnly.has('no_new_customers'), r.no_new_customers_source),
        end: fact(r.end, monthOnly.has('end'), r.end_source),
        endNote: r.end_note,
        lastVersion: r.last_version,
        lastVersionReleased: r.last_version_released,
        firstVersionWithout: r.first_version_without,
        otherDates: r.other_dates.map((d) => ({ on: d.on, monthOnly: !isCalendarDay(d.on), what: d.what, source: d.source })),
        successorFrameworks: r.successor_frameworks,
        successorDlamiFamilies: r.successor_dlami_families,
        migration: r.migration,
        migrationSource: r.migration_source,
        sources: r.sources,
        match: {
          repositories: m.repositories,
          repositoryPatterns: m.repository_patterns,
          acceleratorTypes: m.accelerator_types,
          packages: m.packages,
          packagePatterns: m.package_patterns,
          condaPackages: m.conda_packages,
          condaChannels: m.conda_channels,
          dlamiNames: m.dlami_names,
          dlamiFamilies: m.dlami_families,
          imageTags: m.image_tags,
          frameworks: m.frameworks,
          pythonVersions: m.python_versions,
        },
      };
    });
    const add = (map: Map<string, RetiredThing[]>, key: string, thing: RetiredThing) => {
      const list = map.get(key);
      if (!list) map.set(key, [thing]);
      else if (!list.includes(thing)) list.push(thing);
    };
    for (const r of this.retiredThings) {
      this.retiredById.set(r.id, r);
      const m = r.match;
      for (const x of m.repositories) add(this.byRepository, x.toLowerCase(), r);
      for (const x of m.packages) add(this.byPackage, x, r);
      for (const x of m.condaPackages) add(this.byCondaPackage, x.toLowerCase(), r);
      for (const x of m.condaChannels) add(this.byCondaChannel, x.toLowerCase(), r);
      for (const x of m.frameworks) add(this.byFramework, x, r);
      for (const x of m.pythonVersions) add(this.byPython, x, r);
      for (const x of m.dlamiFamilies) add(this.byFamily, x, r);
      for (const x of m.repositoryPatterns) this.repositoryGlobs.push({ match: compileGlob(x), thing: r });
      for (const x of m.acceleratorTypes) this.acceleratorGlobs.push({ match: compileGlob(x), thing: r });
      for (const x of m.packagePatterns) this.packageGlobs.push({ match: compileGlob(x), thing: r });
      for (const x of m.dlamiNames) this.dlamiNameGlobs.push({ match: compileGlob(x), thing: r });
      for (const x of m.imageTags) this.imageTagGlobs.push({ match: compileGlob(x), thing: r });
    }
    for (const f of this.dlamiFamilies) if (f.retired) { const r = this.retiredById.get(f.retired); if (r) add(this.byFamily, f.id, r); }
  }

  /**
   * End-of-life record of a Python version in any spelling {@link normalizePythonVersion} accepts
   * (`3.10`, `py310`, `3.10.12`, `python3.10`), or undefined when the spelling or the version is
   * unknown. Source: endoflife.date (rule `python-end-of-life`, DLAMI §Dependency end-of-support).
   */
  pythonEol(version: string): PythonRelease | undefined {
    const v = normalizePythonVersion(version);
    return v === undefined ? undefined : this.pythonByVersion.get(v);
  }

  /**
   * OS release record for any spelling {@link normalizeOs} accepts, or an Ubuntu codename
   * (`jammy`, `ubuntu:focal`), or undefined. `endOfLife` is the day rule `os-end-of-life` uses.
   */
  osEol(os: string): OsRelease | undefined {
    const n = normalizeOs(os);
    if (n) return this.osByKey.get(`${n.id}-${n.version}`);
    if (typeof os !== 'string' || os.length > MAX_INPUT) return undefined;
    const word = os.trim().toLowerCase().replace(/^ubuntu[\s:_-]{0,3}/, '').split(/[\s:_-]/)[0];
    return word ? this.osByCodename.get(word) : undefined;
  }

  /** The OS record of an id and version (`ubuntu`, `22.04`). */
  osRelease(id: OsId, version: string): OsRelease | undefined {
    return this.osByKey.get(`${id}-${version}`);
  }

  /** The retired thing with this id (`chainer`, `apache-mxnet`, `amazon-elastic-inference`, …). */
  retired(id: string): RetiredThing | undefined {
    return this.retiredById.get(id);
  }

  /**
   * Every retired thing a reference matches (rule `discontinued`, `legacy-image`,
   * `neuron-conda-package`), in file order, without duplicates; [] when none. Matching is
   * case-insensitive; globs use `*` and `?`.
   */
  retiredFor(q: RetiredQuery): RetiredThing[] {
    const found = new Set<RetiredThing>();
    const addAll = (list: readonly RetiredThing[] | undefined) => list?.forEach((r) => found.add(r));
    const globs = (kind: string, entries: GlobEntry[], value: string) =>
      addAll(this.memoized(`${kind}\u0000${value}`, () => entries.filter((e) => e.match(value)).map((e) => e.thing)));
    if (typeof q.repository === 'string' && q.repository) {
      const repo = repositoryName(q.repository);
      addAll(this.byRepository.get(repo));
      globs('repo', this.repositoryGlobs, repo);
    }
    if (typeof q.acceleratorType === 'string' && q.acceleratorType) globs('acc', this.acceleratorGlobs, q.acceleratorType.trim().toLowerCase());
    if (typeof q.packageName === 'string' && q.packageName) {
      const pkg = normalizePackage(q.packageName);
      addAll(this.byPackage.get(pkg));
      globs('pkg', this.packageGlobs, pkg);
    }
    if (typeof q.condaPackage === 'string' && q.condaPackage) {
      const pkg = q.condaPackage.trim().toLowerCase();
      addAll(this.byCondaPackage.get(pkg));
      addAll(this.byCondaPackage.get(normalizePackage(pkg)));
    }
    if (typeof q.condaChannel === 'string' && q.condaChannel) addAll(this.byCondaChannel.get(q.condaChannel.trim().toLowerCase()));
    if (typeof q.dlamiName === 'string' && q.dlamiName) {
      const name = q.dlamiName.trim();
      globs('dlami', this.dlamiNameGlobs, name);
      const rec = this.dlamiFamilyForName(name);
      if (rec) addAll(this.byFamily.get(rec.family.id));
    }
    if (typeof q.imageTag === 'string' && q.imageTag) globs('tag', this.imageTagGlobs, q.imageTag.trim().toLowerCase());
    if (typeof q.framework === 'string' && q.framework) addAll(this.byFramework.get(q.framework.trim().toLowerCase()));
    if (typeof q.pythonVersion === 'string' && q.pythonVersion) {
      const v = normalizePythonVersion(q.pythonVersion);
      if (v) addAll(this.byPython.get(v));
    }
    return this.retiredThings.filter((r) => found.has(r));
  }

  /** The retired things a DLAMI family belongs to ([] when none). */
  retiredForFamily(familyId: string): readonly RetiredThing[] {
    return this.byFamily.get(familyId) ?? [];
  }

  dlamiFamily(id: string): DlamiFamily | undefined {
    return this.familyById.get(id);
  }

  /**
   * Recognises a whole DLAMI name or EC2 name filter (`*`, `?` wildcards): surrounding whitespace
   * is ignored, an `amazon/` or `AWS ` prefix is allowed, a trailing `*` is allowed. Returns the
   * family and the framework version / OS / build date / `Version NN` / CUDA version with their
   * offsets in `nameOrFilter`, or undefined. Never throws.
   */
  dlamiFamilyForName(nameOrFilter: string): DlamiRecognition | undefined {
    return this.recognise(nameOrFilter, 'name', true);
  }

  /**
   * Recognises a whole SSM parameter path (`/aws/service/deeplearning/ami/x86_64/…/latest/ami-id`,
   * `/aws/service/neuron/dlami/pytorch-2.9/ubuntu-24.04[/latest/image_id]`); surrounding whitespace
   * ignored. Returns undefined for other paths. Never throws.
   */
  dlamiFamilyForSsmParameter(path: string): DlamiRecognition | undefined {
    return this.recognise(path, 'ssm', true);
  }

  /**
   * The longest DLAMI name (kind `name`) or SSM path (kind `ssm`) that starts exactly at offset
   * `from` of `text` and may be followed by other text (for recognisers that scan a whole file:
   * call it where "Deep Learning" / "AWS Deep Learning" / "amazon/" / "/aws/service/" starts).
   * Never throws; undefined when nothing matches at `from`.
   */
  scanDlami(text: string, from: number, kind: 'name' | 'ssm'): DlamiRecognition | undefined {
    if (typeof text !== 'string' || !Number.isInteger(from) || from < 0 || from >= text.length) return undefined;
    // Work on a bounded window so that scanning a large file stays linear overall.
    const rec = this.matchAt(text.slice(from, from + SCAN_WINDOW), 0, kind, false);
    return rec ? shifted(rec, from) : undefined;
  }

  /** Title and locator of a source id. */
  source(id: string | undefined): LifecycleSourceRow | undefined {
    return id ? this.sources[id] : undefined;
  }

  sourceTitle(id: string | undefined): string {
    if (!id) return 'unknown source';
    return this.sources[id]?.title ?? id;
  }

  private recognise(input: string, kind: 'name' | 'ssm', whole: boolean): DlamiRecognition | undefined {
    if (typeof input !== 'string' || input.length === 0 || input.length > 4 * MAX_INPUT) return undefined;
    return this.memoized(`${kind}\u0000${input}`, () => {
      let start = 0;
      let end = input.length;
      while (start < end && /\s/.test(input[start])) start++;
      while (end > start && /\s/.test(input[end - 1])) end--;
      if (start === end) return undefined;
      const text = input.slice(0, end);
      const rec = this.matchAt(text, start, kind, whole);
      return rec && rec.end === end ? rec : undefined;
    });
  }

  private matchAt(text: string, from: number, kind: 'name' | 'ssm', filter: boolean): DlamiRecognition | undefined {
    const lower = text.toLowerCase();
    let bodyStart = from;
    if (kind === 'name') {
      for (const p of NAME_PREFIXES) {
        if (lower.startsWith(p, from)) {
          bodyStart = from + p.length;
          break;
        }
      }
    }
    let best: DlamiRecognition | undefined;
    for (const tpl of kind === 'name' ? this.nameTemplates : this.ssmTemplates) {
      if (!lower.startsWith(tpl.lead, bodyStart)) continue;
      const state: MatchState = { pos: bodyStart, parts: {}, wildcard: false, truncated: false };
      if (!matchTokens(tpl.tokens, text, lower, state, tpl.family, kind, filter)) continue;
      if (kind === 'name' && !state.truncated && text[state.pos] === '*') {
        state.pos++;
        state.wildcard = true;
      }
      if (filter && state.pos !== text.length) continue;
      if (!best || state.pos > best.end) {
        best = { family: tpl.family, kind, pattern: tpl.pattern, start: from, end: state.pos, parts: state.parts, wildcard: state.wildcard, truncated: state.truncated };
      }
    }
    return best;
  }

  private memoized<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    if (this.memo.size >= 5000) this.memo.clear();
    this.memo.set(key, value);
    return value;
  }
}

/** Longest text {@link LifecycleFacts.scanDlami} looks at (DLAMI names and SSM paths are far shorter). */
const SCAN_WINDOW = 1024;

function shifted(rec: DlamiRecognition, by: number): DlamiRecognition {
  const parts: DlamiParts = {};
  for (const [k, v] of Object.entries(rec.parts) as Array<[keyof DlamiParts, TextSpan]>) {
    (parts as Record<string, TextSpan>)[k] = { ...v, start: v.start + by, end: v.end + by };
  }
  return { ...rec, start: rec.start + by, end: rec.end + by, parts };
}

function compiled(family: DlamiFamily, kind: 'name' | 'ssm', pattern: string): CompiledTemplate {
  const tokens = compileDlamiTemplate(pattern);
  const first = tokens[0];
  return { family, kind, pattern, tokens, lead: first.t === 'lit' ? first.text : '' };
}

function compareMinor(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

// ---------------------------------------------------------------------------
// Parsing and cross-checks

/**
 * Validates a parsed `lifecycle.toml` (the value of `toml.parse`) and builds the query object.
 * @param origin file name for messages
 * @throws CatalogError `origin: key.path: message` on a schema error, and `origin: where: message`
 *   on a failed cross-check: unknown source id; duplicate Python version, OS release, retired id or
 *   family id; dates out of order (released ≤ end of bugfix/active support ≤ end of life ≤ extended
 *   support); a month-only date in a field not listed in `month_only` (or a day in one that is);
 *   a retired thing without `end`, `announced`, `last_version` or `end_note`; a DLAMI family id,
 *   retired id or successor family that does not exist; a DLAMI template that does not compile.
 */
export function parseLifecycleFile(raw: unknown, origin: string): LifecycleFacts {
  return new LifecycleFacts(validateLifecycleFile(raw, origin));
}

/**
 * The checks of {@link parseLifecycleFile} without building the query object: the file as the
 * schema gives it (defaults filled in). @throws CatalogError as {@link parseLifecycleFile}
 */
export function validateLifecycleFile(raw: unknown, origin: string): LifecycleFile {
  const parsed = lifecycleFileSchema.safeParse(raw);
  if (!parsed.success) throw schemaError(origin, parsed.error.issues[0]);
  const file = parsed.data;
  const problems: string[] = [];
  const checkSource = (id: string | undefined, where: string) => {
    if (id !== undefined && !(id in file.sources)) problems.push(`${where}: unknown source id ${JSON.stringify(id)}`);
  };
  const ordered = (where: string, pairs: Array<[string, string | undefined]>) => {
    const present = pairs.filter((p): p is [string, string] => p[1] !== undefined && isCalendarDay(p[1]));
    for (let i = 1; i < present.length; i++) {
      if (toEpochDay(present[i - 1][1]) > toEpochDay(present[i][1])) {
        problems.push(`${where}: ${present[i - 1][0]} ${present[i - 1][1]} is after ${present[i][0]} ${present[i][1]}`);
      }
    }
  };
  const unique = (what: string, keys: string[]) => {
    const seen = new Set<string>();
    for (const k of keys) {
      if (seen.has(k)) problems.push(`duplicate ${what} ${JSON.stringify(k)}`);
      seen.add(k);
    }
  };

  unique('Python version', file.python.map((p) => p.version));
  file.python.forEach((p, i) => {
    const where = `python[${i}] (${p.version})`;
    checkSource(p.source, `${where}.source`);
    checkSource(p.dlami_deprecated_source, `${where}.dlami_deprecated_source`);
    ordered(where, [['released', p.released], ['end_of_bugfix', p.end_of_bugfix], ['end_of_life', p.end_of_life]]);
    if (p.latest_patch !== undefined && !p.latest_patch.startsWith(`${p.version}.`)) problems.push(`${where}: latest_patch ${p.latest_patch} is not a patch of ${p.version}`);
  });

  unique('OS release', file.os.map((o) => `${o.id}-${o.version}`));
  file.os.forEach((o, i) => {
    const where = `os[${i}] (${o.id} ${o.version})`;
    checkSource(o.source, `${where}.source`);
    checkSource(o.dlami_end_of_patch_source, `${where}.dlami_end_of_patch_source`);
    checkSource(o.dlami_deprecated_source, `${where}.dlami_deprecated_source`);
    if (o.dlami_end_of_patch !== undefined && o.dlami_end_of_patch_source === undefined) problems.push(`${where}: dlami_end_of_patch without dlami_end_of_patch_source`);
    o.conflicts.forEach((c, j) => checkSource(c.source, `${where}.conflicts[${j}].source`));
    ordered(where, [['released', o.released], ['end_of_active_support', o.end_of_active_support], ['end_of_life', o.end_of_life], ['end_of_extended_support', o.end_of_extended_support]]);
    if (o.dlami_end_of_patch !== undefined) ordered(where, [['released', o.released], ['dlami_end_of_patch', o.dlami_end_of_patch]]);
    if (o.id === 'ubuntu' && !/^\d{2}\.\d{2}$/.test(o.version)) problems.push(`${where}: Ubuntu versions are YY.MM`);
    if (o.id === 'amazon-linux' && !['1', '2', '2023'].includes(o.version)) problems.push(`${where}: Amazon Linux versions are 1, 2 and 2023`);
  });

  const familyIds = new Set(file.dlami_families.map((f) => f.id));
  const retiredIds = new Set(file.retired.map((r) => r.id));
  unique('retired id', file.retired.map((r) => r.id));
  file.retired.forEach((r, i) => {
    const where = `retired[${i}] (${r.id})`;
    for (const k of ['announced_source', 'no_new_customers_source', 'end_source', 'migration_source'] as const) checkSource(r[k], `${where}.${k}`);
    r.sources.forEach((s, j) => checkSource(s, `${where}.sources[${j}]`));
    r.other_dates.forEach((d, j) => checkSource(d.source, `${where}.other_dates[${j}].source`));
    for (const field of retiredDateFields) {
      const value = r[field];
      if (value === undefined) {
        if (r.month_only.includes(field)) problems.push(`${where}: month_only names ${field}, which is absent`);
        continue;
      }
      const isMonth = !isCalendarDay(value);
      if (isMonth && !r.month_only.includes(field)) problems.push(`${where}.${field}: month-only date ${value} must be listed in month_only`);
      if (!isMonth && r.month_only.includes(field)) problems.push(`${where}.${field}: ${value} is a day but month_only lists it`);
      const src = r[`${field}_source` as const];
      if (src === undefined) problems.push(`${where}.${field}: no ${field}_source`);
    }
    const eff = (s: string | undefined) => (s === undefined ? undefined : effectiveDay(s));
    ordered(where, [['announced', eff(r.announced)], ['no_new_customers', eff(r.no_new_customers)], ['end', eff(r.end)]]);
    if (r.end === undefined && r.announced === undefined && r.last_version === undefined && r.end_note === undefined) problems.push(`${where}: no end, announced, last_version or end_note`);
    r.match.dlami_families.forEach((f) => { if (!familyIds.has(f)) problems.push(`${where}.match.dlami_families: unknown family ${JSON.stringify(f)}`); });
    r.successor_dlami_families.forEach((f) => { if (!familyIds.has(f)) problems.push(`${where}.successor_dlami_families: unknown family ${JSON.stringify(f)}`); });
    const retiredFamilies = new Set(r.match.dlami_families);
    r.successor_dlami_families.forEach((f) => { if (retiredFamilies.has(f)) problems.push(`${where}: successor family ${f} is itself retired by this record`); });
    r.successor_frameworks.forEach((f) => { if (r.match.frameworks.includes(f)) problems.push(`${where}: successor framework ${f} is the retired framework`); });
  });

  unique('DLAMI family id', file.dlami_families.map((f) => f.id));
  file.dlami_families.forEach((f, i) => {
    const where = `dlami_families[${i}] (${f.id})`;
    f.sources.forEach((s, j) => checkSource(s, `${where}.sources[${j}]`));
    if (f.retired !== undefined && !retiredIds.has(f.retired)) problems.push(`${where}.retired: unknown retired id ${JSON.stringify(f.retired)}`);
    if (f.name_patterns.length + f.ssm_patterns.length === 0) problems.push(`${where}: no name or SSM pattern`);
    for (const [k, list] of [['name_patterns', f.name_patterns], ['ssm_patterns', f.ssm_patterns]] as const) {
      list.forEach((t, j) => {
        try {
          const tokens = compileDlamiTemplate(t);
          if (k === 'ssm_patterns' && !t.startsWith('/')) problems.push(`${where}.${k}[${j}]: SSM templates start with /`);
          if (tokens.some((x) => x.t === 'ph' && x.name === 'arch') && f.arch.length === 0) problems.push(`${where}.${k}[${j}]: {arch} without arch list`);
        } catch (e) {
          problems.push(`${where}.${k}[${j}]: ${(e as Error).message}`);
        }
      });
    }
  });

  if (problems.length > 0) throw problemsError(origin, problems);
  return file;
}
