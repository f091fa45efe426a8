/**
 * The per-project policy file (catalog.md §Policy file): `.dl-lifecycle.toml`, or the
 * `[tool.dl-lifecycle]` table of `pyproject.toml`. {@link parsePolicy} reads and validates one,
 * pure and total: every problem (TOML syntax, unknown key, wrong type, bad value) is reported at
 * its position, and everything valid stays in force. docs/policy-file.md documents each key.
 */
import picomatch from 'picomatch';
import type { CalendarDay } from '../dates';
import { isCalendarDay } from '../dates';
import type { Range, Severity, SeveritySetting } from '../model';
import type { RuleId } from '../rules/ruleIds';
import { DATED_RULE_IDS, isDatedRule, isRuleId, isSeveritySetting, RULE_IDS, RULES, SEVERITY_SETTINGS } from '../rules/ruleIds';
import { TextIndex } from '../text';
import type { ImageMapping, ImagePlaceholder } from './images';
import { FRAMEWORK_IDS, IMAGE_JOBS, IMAGE_PLACEHOLDER_NAMES, IMAGE_PROCESSORS, MAX_IMAGE_WILDCARDS, splitPattern } from './images';
import { didYouMean } from './suggest';
import type { OffsetRange, TomlEntry, TomlNode, TomlTable } from './tomlTree';
import { describeNode, parseTomlTree } from './tomlTree';

/** Which form a policy file takes: a `.dl-lifecycle.toml` of its own, or a table in `pyproject.toml`. */
export type PolicyKind = 'dl-lifecycle-toml' | 'pyproject';

/** Raise a rule's severity once its condition is old enough. */
export interface Escalation {
  /** The severity from `afterDays` days after the finding's start day (`Finding.since`) on. */
  to: Severity;
  /** Whole days ≥ 0 after the start day. */
  afterDays: number;
}

/** A rule as a policy file configures it. */
export interface RulePolicy {
  /** Absent: the severity of the next settings layer, else the rule's default. */
  severity?: SeveritySetting;
  escalation?: Escalation;
}

/** The valid content of a policy file. Absent keys leave the setting to the next layer (settings.md, precedence.ts). */
export interface Policy {
  /** Path of the policy file (as given to {@link parsePolicy}). */
  origin: string;
  kind: PolicyKind;
  /** Fixed evaluation day (UTC calendar day). */
  asOf?: CalendarDay;
  /** Whole days ≥ 0 before an end of patch that `end-of-patch-soon` reports. */
  warningWindowDays?: number;
  /** Globs over paths relative to the policy file's folder, forward slashes (`legacy/**`). */
  exclude: string[];
  rules: Partial<Record<RuleId, RulePolicy>>;
  /** `[[images]]` mappings, in file order. */
  images: ImageMapping[];
}

/** A problem in a policy file. */
export interface PolicyProblem {
  /** LSP range (0-based line, UTF-16 character) of the key or value at fault, inside the text. */
  range: Range;
  message: string;
  /** Dotted path of the key at fault relative to the policy's root table (`rules.end-of-patch.after-days`, `images[0].framework`); empty for a syntax error. */
  key: string;
}

/** The result of {@link parsePolicy}. */
export interface PolicyParse {
  /** The valid part of the policy; undefined only for a `pyproject.toml` that holds no `[tool.dl-lifecycle]` table. */
  policy: Policy | undefined;
  problems: PolicyProblem[];
}

/** Top-level keys of a policy. */
export const POLICY_KEYS = ['as-of', 'warning-window-days', 'exclude', 'rules', 'images'] as const;
const RULE_KEYS = ['severity', 'escalate-to', 'after-days'] as const;
const IMAGE_KEYS = ['pattern', 'framework', 'framework-version', 'job', 'processor', 'note'] as const;
const SEVERITY_RANK: Record<SeveritySetting, number> = { off: 0, hint: 1, information: 2, warning: 3, error: 4 };

/** The table of `pyproject.toml` that holds the policy. */
export const PYPROJECT_TABLE = ['tool', 'dl-lifecycle'] as const;

/** A pyproject.toml text that mentions `tool.dl-lifecycle` (used when it cannot be parsed, to tell whether it is ours). */
const MENTIONS_POLICY = /^[ \t]*(?:\[\[?[ \t]*tool[ \t]*\.[ \t]*["']?dl-lifecycle|tool[ \t]*\.[ \t]*["']?dl-lifecycle|tool[ \t]*=[^\n]*dl-lifecycle)/m;

function emptyPolicy(origin: string, kind: PolicyKind): Policy {
  return { origin, kind, exclude: [], rules: {}, images: [] };
}

/** Collects problems with LSP ranges; offsets are clamped into the text. */
class Problems {
  readonly list: PolicyProblem[] = [];
  private index: TextIndex | undefined;
  constructor(private readonly text: string) {}
  add(at: OffsetRange, key: string, message: string): void {
    const index = (this.index ??= new TextIndex(this.text));
    const start = Math.max(0, Math.min(at[0], this.text.length));
    const end = Math.max(start, Math.min(at[1], this.text.length));
    this.list.push({ range: { start: index.positionAt(start), end: index.positionAt(end) }, message, key });
  }
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
const quoteKey = (k: string) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k));

/**
 * Parses and validates a policy file.
 * @param text the file's text
 * @param origin its path (kept in the policy; not read)
 * @param kind `dl-lifecycle-toml` reads the whole file; `pyproject` reads its `[tool.dl-lifecycle]` table
 * @returns the valid part of the policy and the problems (LSP ranges). Never throws. A TOML syntax
 *   error is one problem at its position and nothing of the file applies (the policy is empty); for a
 *   `pyproject.toml` that cannot be parsed, that holds only when its text mentions `tool.dl-lifecycle`
 *   (otherwise it is someone else's broken file and `policy` is undefined).
 */
export function parsePolicy(text: string, origin: string, kind: PolicyKind): PolicyParse {
  const problems = new Problems(text);
  try {
    const parsed = parseTomlTree(text);
    if ('error' in parsed) {
      if (kind === 'pyproject' && !MENTIONS_POLICY.test(text)) return { policy: undefined, problems: [] };
      const { offset, message } = parsed.error;
      const end = offset < text.length && text[offset] !== '\n' && text[offset] !== '\r' ? offset + 1 : offset;
      problems.add([offset, end], '', `TOML syntax error: ${message}; nothing in this policy file applies until it is fixed`);
      return { policy: emptyPolicy(origin, kind), problems: problems.list };
    }
    let root: TomlTable = parsed.root;
    if (kind === 'pyproject') {
      const tool = root.entries.get(PYPROJECT_TABLE[0]);
      const entry = tool?.node.type === 'table' ? tool.node.entries.get(PYPROJECT_TABLE[1]) : undefined;
      if (!entry) return { policy: undefined, problems: [] };
      if (entry.node.type !== 'table') {
        problems.add(entry.node.range, '', `tool.dl-lifecycle must be a table, not ${describeNode(entry.node)}`);
        return { policy: emptyPolicy(origin, kind), problems: problems.list };
      }
      root = entry.node;
    }
    const policy = emptyPolicy(origin, kind);
    readPolicy(root, text, policy, problems);
    return { policy, problems: problems.list };
  } catch (e) {
    // a defect of ours must not take the editor or the CLI down: report it at the start of the file
    problems.add([0, 0], '', `the policy file could not be read: ${e instanceof Error ? e.message : String(e)}`);
    return { policy: emptyPolicy(origin, kind), problems: problems.list };
  }
}

function readPolicy(root: TomlTable, text: string, policy: Policy, problems: Problems): void {
  for (const entry of root.entries.values()) {
    const { key, node } = entry;
    switch (key) {
      case 'as-of': {
        const day = calendarDay(node, text);
        if (day.ok) policy.asOf = day.value;
        else problems.add(node.range, key, `as-of must be a calendar day YYYY-MM-DD (a TOML date or a string)${day.why}; leave it out to evaluate as of today`);
        break;
      }
      case 'warning-window-days': {
        const n = wholeDays(node);
        if (n !== undefined) policy.warningWindowDays = n;
        else problems.add(node.range, key, `warning-window-days must be a whole number of days ≥ 0, not ${valueText(node, text)}`);
        break;
      }
      case 'exclude':
        readExclude(entry, text, policy, problems);
        break;
      case 'rules':
        readRules(entry, text, policy, problems);
        break;
      case 'images':
        readImages(entry, text, policy, problems);
        break;
      default:
        unknownKey(entry, '', POLICY_KEYS, problems);
    }
  }
}

function unknownKey(entry: TomlEntry, path: string, known: readonly string[], problems: Problems): void {
  problems.add(entry.keyRange, join(path, entry.key), `unknown key '${entry.key}'${path ? ` in ${path}` : ''}${didYouMean(entry.key, known)}; known keys: ${known.join(', ')}`);
}

/** The source text of a value for messages, shortened. */
function valueText(node: TomlNode, text: string): string {
  if (node.type !== 'value') return describeNode(node);
  const raw = text.slice(node.range[0], node.range[1]);
  return raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
}

function stringValue(node: TomlNode): string | undefined {
  return node.type === 'value' && node.value.kind === 'string' ? node.value.value : undefined;
}

function calendarDay(node: TomlNode, text: string): { ok: true; value: CalendarDay } | { ok: false; why: string } {
  if (node.type === 'value' && node.value.kind === 'local-date') {
    const day = text.slice(node.range[0], node.range[1]);
    return isCalendarDay(day) ? { ok: true, value: day } : { ok: false, why: `, not ${day}` };
  }
  const s = stringValue(node);
  if (s !== undefined) return isCalendarDay(s.trim()) ? { ok: true, value: s.trim() } : { ok: false, why: `, not ${JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s)}` };
  if (node.type === 'value' && (node.value.kind === 'local-date-time' || node.value.kind === 'offset-date-time')) return { ok: false, why: ' without a time of day' };
  return { ok: false, why: `, not ${describeNode(node)}` };
}

function wholeDays(node: TomlNode): number | undefined {
  if (node.type !== 'value' || node.value.kind !== 'integer') return undefined;
  const n = node.value.value;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function readExclude(entry: TomlEntry, text: string, policy: Policy, problems: Problems): void {
  const { node } = entry;
  if (node.type !== 'array') {
    const hint = stringValue(node) !== undefined ? ` (write exclude = [${valueText(node, text)}])` : '';
    problems.add(node.range, 'exclude', `exclude must be an array of glob strings, not ${describeNode(node)}${hint}`);
    return;
  }
  node.items.forEach((item, i) => {
    const key = `exclude[${i}]`;
    const glob = stringValue(item);
    if (glob === undefined) return problems.add(item.range, key, `exclude entries must be glob strings, not ${describeNode(item)}`);
    const why = globProblem(glob);
    if (why) return problems.add(item.range, key, `exclude entry ${valueText(item, text)} ${why}`);
    policy.exclude.push(glob.replace(/^\.\//, ''));
  });
}

/** Why a glob cannot be an exclude entry, or undefined when it is fine. */
function globProblem(glob: string): string | undefined {
  if (glob.trim() === '') return 'is empty';
  if (glob.includes('\\')) return 'must use forward slashes';
  if (glob.startsWith('/') || /^[A-Za-z]:/.test(glob)) return "must be relative to the policy file's folder";
  if (glob.split('/').includes('..')) return "cannot reach outside the policy file's folder ('..')";
  try {
    picomatch.makeRe(glob, { dot: true, strictBrackets: true });
  } catch (e) {
    return `is not a valid glob (${e instanceof Error ? e.message : String(e)})`;
  }
  return undefined;
}

function readRules(entry: TomlEntry, text: string, policy: Policy, problems: Problems): void {
  if (entry.node.type !== 'table') {
    problems.add(entry.node.range, 'rules', `rules must be a table of rule ids ([rules] with lines like end-of-patch = "error"), not ${describeNode(entry.node)}`);
    return;
  }
  for (const rule of entry.node.entries.values()) {
    const key = join('rules', quoteKey(rule.key));
    if (!isRuleId(rule.key)) {
      problems.add(rule.keyRange, key, `unknown rule '${rule.key}'${didYouMean(rule.key, RULE_IDS)}; rules: ${RULE_IDS.join(', ')}`);
      continue;
    }
    const { node } = rule;
    if (node.type === 'value' && node.value.kind === 'string') {
      const sev = severity(node, key, text, SEVERITY_SETTINGS, problems);
      if (sev) policy.rules[rule.key] = { severity: sev };
    } else if (node.type === 'table') {
      const configured = readRuleTable(rule.key, node, key, text, problems);
      if (configured) policy.rules[rule.key] = configured;
    } else {
      problems.add(node.range, key, `${rule.key} must be a severity (${SEVERITY_SETTINGS.join(', ')}) or a table { severity, escalate-to, after-days }, not ${describeNode(node)}`);
    }
  }
}

function severity<T extends SeveritySetting>(node: TomlNode, key: string, text: string, allowed: readonly T[], problems: Problems): T | undefined {
  const s = stringValue(node);
  if (s !== undefined && (allowed as readonly string[]).includes(s)) return s as T;
  const suggestion = s !== undefined ? didYouMean(s, allowed) : '';
  problems.add(node.range, key, `${key.slice(key.lastIndexOf('.') + 1)} must be one of ${allowed.join(', ')}, not ${valueText(node, text)}${suggestion}`);
  return undefined;
}

function readRuleTable(rule: RuleId, table: TomlTable, path: string, text: string, problems: Problems): RulePolicy | undefined {
  const out: RulePolicy = {};
  let to: { value?: Severity; entry: TomlEntry } | undefined;
  let after: { value?: number; entry: TomlEntry } | undefined;
  for (const e of table.entries.values()) {
    const key = join(path, e.key);
    if (e.key === 'severity') out.severity = severity(e.node, key, text, SEVERITY_SETTINGS, problems);
    else if (e.key === 'escalate-to') to = { value: severity(e.node, key, text, SEVERITY_SETTINGS.filter((s): s is Severity => s !== 'off'), problems), entry: e };
    else if (e.key === 'after-days') {
      const n = wholeDays(e.node);
      if (n === undefined) problems.add(e.node.range, key, `after-days must be a whole number of days ≥ 0, not ${valueText(e.node, text)}`);
      after = { value: n, entry: e };
    } else unknownKey(e, path, RULE_KEYS, problems);
  }
  if (to || after) {
    const at = (to ?? after)!.entry;
    if (!isDatedRule(rule)) {
      problems.add(at.keyRange, join(path, at.key), `${rule} cannot escalate: its findings carry no date to count days from; escalation works for ${DATED_RULE_IDS.join(', ')}`);
    } else if (!to || !after) {
      const missing = to ? 'after-days' : 'escalate-to';
      problems.add(at.keyRange, join(path, at.key), `${at.key} needs ${missing} as well (escalate-to = "error", after-days = 30)`);
    } else if (to.value !== undefined && after.value !== undefined) {
      const base = out.severity ?? RULES[rule].defaultSeverity;
      if (SEVERITY_RANK[to.value] <= SEVERITY_RANK[base]) {
        problems.add(to.entry.node.range, join(path, 'escalate-to'), `escalate-to (${to.value}) must be more severe than the rule's severity (${base})`);
      } else out.escalation = { to: to.value, afterDays: after.value };
    }
  }
  return out.severity !== undefined || out.escalation ? out : undefined;
}

function readImages(entry: TomlEntry, text: string, policy: Policy, problems: Problems): void {
  const { node } = entry;
  if (node.type !== 'array') {
    problems.add(node.type === 'table' ? entry.keyRange : node.range, 'images', `images must be an array of tables ([[images]] sections), not ${describeNode(node)}`);
    return;
  }
  node.items.forEach((item, i) => {
    const path = `images[${i}]`;
    if (item.type !== 'table') return problems.add(item.range, path, `each images entry must be a table with pattern and framework, not ${describeNode(item)}`);
    const mapping = readImage(item, path, text, problems);
    if (mapping) policy.images.push(mapping);
  });
}

function readImage(table: TomlTable, path: string, text: string, problems: Problems): ImageMapping | undefined {
  let pattern: { value: string; placeholders: ImagePlaceholder[]; entry: TomlEntry } | undefined;
  let framework: string | undefined;
  let frameworkKnown = false;
  const out: Partial<ImageMapping> = {};
  const oneOf = <T extends string>(e: TomlEntry, allowed: readonly T[]): T | undefined => {
    const s = stringValue(e.node);
    if (s !== undefined && (allowed as readonly string[]).includes(s)) return s as T;
    problems.add(e.node.range, join(path, e.key), `${e.key} must be one of ${allowed.join(', ')}, not ${valueText(e.node, text)}${s !== undefined ? didYouMean(s, allowed) : ''}`);
    return undefined;
  };
  for (const e of table.entries.values()) {
    const key = join(path, e.key);
    switch (e.key) {
      case 'pattern': {
        const s = stringValue(e.node);
        if (s === undefined) problems.add(e.node.range, key, `pattern must be a string, not ${describeNode(e.node)}`);
        else {
          const placeholders = checkPattern(s, e, key, text, problems);
          if (placeholders) pattern = { value: s, placeholders, entry: e };
        }
        break;
      }
      case 'framework':
        frameworkKnown = true;
        framework = oneOf(e, FRAMEWORK_IDS);
        break;
      case 'framework-version': {
        const s = stringValue(e.node);
        if (s !== undefined && /^\d+(?:\.\d+){1,3}$/.test(s)) out.frameworkVersion = s;
        else problems.add(e.node.range, key, `framework-version must be a version string like "2.3" or "2.3.1", not ${valueText(e.node, text)}`);
        break;
      }
      case 'job':
        out.job = oneOf(e, IMAGE_JOBS);
        break;
      case 'processor':
        out.processor = oneOf(e, IMAGE_PROCESSORS);
        break;
      case 'note': {
        const s = stringValue(e.node);
        if (s !== undefined) out.note = s;
        else problems.add(e.node.range, key, `note must be a string, not ${describeNode(e.node)}`);
        break;
      }
      default:
        unknownKey(e, path, IMAGE_KEYS, problems);
    }
  }
  if (!table.entries.has('pattern')) problems.add(table.range, join(path, 'pattern'), `this images entry has no pattern (the image reference it maps, e.g. "123456789012.dkr.ecr.*.amazonaws.com/ml-base:{framework_version}-gpu-{python}")`);
  if (!frameworkKnown) problems.add(table.range, join(path, 'framework'), `this images entry has no framework (one of ${FRAMEWORK_IDS.join(', ')})`);
  if (pattern && !pattern.placeholders.includes('framework_version') && out.frameworkVersion === undefined) {
    problems.add(pattern.entry.node.range, join(path, 'pattern'), `pattern has no {framework_version} placeholder and the entry gives no framework-version: nothing tells which version the image holds`);
    return undefined;
  }
  if (!pattern || !framework) return undefined;
  return { pattern: pattern.value, placeholders: pattern.placeholders, framework, ...out };
}

/** Validates an image pattern; returns its placeholders, or undefined after reporting what is wrong. */
function checkPattern(pattern: string, entry: TomlEntry, key: string, text: string, problems: Problems): ImagePlaceholder[] | undefined {
  const node = entry.node;
  // narrow a problem to the characters of the pattern when the string is written without escapes
  const raw = text.slice(node.range[0], node.range[1]);
  const plain = raw.length === pattern.length + 2 && raw.slice(1, -1) === pattern;
  const at = (offset: number, length: number): OffsetRange => (plain ? [node.range[0] + 1 + offset, node.range[0] + 1 + offset + length] : node.range);
  if (pattern.trim() === '') {
    problems.add(node.range, key, 'pattern is empty');
    return undefined;
  }
  const split = splitPattern(pattern);
  if ('error' in split) {
    problems.add(at(split.error.offset, split.error.length), key, `pattern: ${split.error.message}`);
    return undefined;
  }
  const placeholders: ImagePlaceholder[] = [];
  let ok = true;
  let stars = 0;
  for (const part of split.parts) {
    if ('star' in part) stars++;
    if (!('placeholder' in part)) continue;
    const name = part.placeholder;
    if (!(IMAGE_PLACEHOLDER_NAMES as readonly string[]).includes(name)) {
      problems.add(at(part.offset, part.length), key, `unknown placeholder {${name}}${didYouMean(name, IMAGE_PLACEHOLDER_NAMES)}; placeholders: ${IMAGE_PLACEHOLDER_NAMES.map((p) => `{${p}}`).join(', ')}`);
      ok = false;
    } else if (placeholders.includes(name as ImagePlaceholder)) {
      problems.add(at(part.offset, part.length), key, `placeholder {${name}} appears twice`);
      ok = false;
    } else placeholders.push(name as ImagePlaceholder);
  }
  if (stars > MAX_IMAGE_WILDCARDS) {
    problems.add(node.range, key, `pattern has ${stars} '*' wildcards; at most ${MAX_IMAGE_WILDCARDS} are allowed`);
    ok = false;
  }
  return ok ? placeholders : undefined;
}
