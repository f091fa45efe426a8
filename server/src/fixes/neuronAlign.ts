/**
 * The "Align Neuron packages to SDK X.Y.Z" fix: one code action whose edits move every Neuron
 * package pin of a file to the version one Neuron SDK release ships for it, and the framework pin
 * a Neuron framework build needs (`torch==` to the framework part of the target `torch-neuronx`).
 * Attached by the Neuron rules (`rules/neuronSdk.ts`) to `neuron-mixed-releases`,
 * `neuron-end-of-support`, `neuron-end-of-support-announced` and `neuron-sdk-outdated` findings.
 *
 * Only version texts change (rules.md §Fixes must be safe):
 *
 * | pin as written                  | moved to 2.9.0.2.15.32035 (torch-neuronx) |
 * | ------------------------------- | ----------------------------------------- |
 * | `==2.1.2.2.3.0` / `===…`        | `==2.9.0.2.15.32035`                       |
 * | `==2.1.2.*`                     | `==2.9.0.*` (as many components as written) |
 * | `==2.*` (allows the target)     | unchanged                                  |
 * | `>=2.1,<2.2`, `~=2.1.2.2.0`, `^2.1` | the whole specifier becomes `==2.9.0.2.15.32035` |
 * | apt `=2.20.22.0-c101c322e`      | `=2.29.0.0-*` (the Debian revision is not known) |
 * | apt `=2.20.22.0` / `=2.*`       | `=2.29.0.0` / unchanged when the glob allows it |
 *
 * Left as they are, and named in the title: conda pins (Neuron has no conda packages after 1.13.0:
 * move them to pip first), lock-file entries, and packages the target release does not ship or
 * ships only at versions whose support has ended (a version whose end is only announced is proposed
 * when the release has no other). The fix is never safe (`Fix all` does not apply
 * it): it changes several lines, usually framework versions. Pure: no clock, no I/O.
 */
import type { FrameworkPart, NeuronFramework, NeuronRelease, NeuronReleases } from '../catalog/neuron';
import { comparePackageVersions, frameworkPartOf } from '../catalog/neuron';
import type { CalendarDay } from '../dates';
import { toEpochDay } from '../dates';
import type { Fix, PackagePin, PackagePinReference, TextEdit } from '../model';
import { neuronAlignTitle } from '../rules/messages';
import { packagePinEdits } from './packagePin';

/** A Neuron pin of the file, as the rules evaluated it. */
export interface AlignPin {
  ref: PackagePinReference;
  /** PEP 503-normalised package name. */
  package: string;
  /** The version the pin resolves to (exact, or the highest a range allows). */
  version?: string;
  /** Framework part of `version` (framework builds). */
  framework?: FrameworkPart;
}

/** How a package version stands on `asOf`: no end in effect or announced, an end announced, an end in effect. */
export type VersionStanding = 'supported' | 'announced' | 'ended';

/** What the fix needs from the rules, all judged on `asOf`. */
export interface AlignContext {
  neuron: NeuronReleases;
  asOf: CalendarDay;
  /** How a package version stands on `asOf` (the Neuron end-of-support announcements about it). */
  standing(pkg: string, version: string): VersionStanding;
  /** The release may stay the target: out on `asOf` and not past its 12 months then, or the latest release out on `asOf`. */
  supported(release: NeuronRelease): boolean;
  /** The pin (any manager) allows the version. */
  accepts(pin: PackagePin, version: string): boolean;
}

/** The first dotted number of a version (`2` of `2.13.66.0`). */
function major(v: string): string {
  return v.split('.')[0];
}

/** `major.minor` of a framework part. */
function frameworkMinor(part: FrameworkPart | undefined): string | undefined {
  return part ? part.version.split('.').slice(0, 2).join('.') : undefined;
}

/**
 * The version of `pin`'s package that `release` ships and the fix proposes: the highest among the
 * versions without an end announced or in effect (else among those without an end in effect), of
 * the pin's framework `major.minor` (framework builds) or major version (other packages) when there
 * is one. Undefined when the release does not ship the package or every version it ships has ended.
 */
export function targetVersion(release: NeuronRelease, pin: AlignPin, actx: AlignContext): string | undefined {
  const shipped = [...(release.packages[pin.package] ?? [])].sort(comparePackageVersions);
  const standing = new Map(shipped.map((v) => [v, actx.standing(pin.package, v)]));
  const clean = shipped.filter((v) => standing.get(v) === 'supported');
  const pool = clean.length ? clean : shipped.filter((v) => standing.get(v) === 'announced');
  if (pool.length === 0) return undefined;
  const minor = frameworkMinor(pin.framework);
  const same = pool.filter((v) => (minor !== undefined ? frameworkMinor(frameworkPartOf(pin.package, v)) === minor : pin.version !== undefined && major(v) === major(pin.version)));
  const from = same.length ? same : pool;
  return from[from.length - 1];
}

/** 2 when `release` ships a version of every pin's package without an end announced or in effect, 1 when only without an end in effect, else 0. */
function grade(release: NeuronRelease, pins: readonly AlignPin[], actx: AlignContext): number {
  let g = 2;
  for (const p of pins) {
    const v = targetVersion(release, p, actx);
    if (v === undefined) return 0;
    if (actx.standing(p.package, v) !== 'supported') g = 1;
  }
  return g;
}

/**
 * The release to align to: `newest` (the newest release of the file's newest Neuron pin) when it is
 * supported and ships a version of every Neuron package of the file without an end announced or in
 * effect; else, among the releases out on `asOf` and not older than `newest`, the latest that ships
 * such versions (a supported release first), then the latest that ships versions without an end in
 * effect; else the latest that ships the most of the file's packages (one has ended everywhere);
 * else the latest release out on `asOf` that ships packages. Undefined when no release is out on
 * `asOf`.
 */
export function alignTarget(pins: readonly AlignPin[], newest: NeuronRelease | undefined, actx: AlignContext): NeuronRelease | undefined {
  if (newest && actx.supported(newest) && grade(newest, pins, actx) === 2) return newest;
  const day = toEpochDay(actx.asOf);
  const out = actx.neuron
    .releases()
    .filter((r) => r.date !== undefined && toEpochDay(r.date) <= day && Object.keys(r.packages).length > 0)
    .sort((a, b) => (a.date! < b.date! ? 1 : a.date! > b.date! ? -1 : 0));
  const candidates = out.filter((r) => !newest?.date || r.date! >= newest.date).map((r) => ({ r, g: grade(r, pins, actx), s: actx.supported(r) }));
  const pick = (g: number, s: boolean) => candidates.find((c) => c.g === g && (!s || c.s))?.r;
  return pick(2, true) ?? pick(2, false) ?? pick(1, true) ?? pick(1, false) ?? mostShipped(candidates, pins, actx) ?? out[0];
}

/**
 * When no release ships every package of the file (one has ended): the latest candidate that ships
 * the most of them, a supported one first, so that the fix moves as many pins as it can.
 */
function mostShipped(candidates: ReadonlyArray<{ r: NeuronRelease; s: boolean }>, pins: readonly AlignPin[], actx: AlignContext): NeuronRelease | undefined {
  let best: { r: NeuronRelease; n: number; s: boolean } | undefined;
  for (const c of candidates) {
    const n = pins.filter((p) => targetVersion(c.r, p, actx) !== undefined).length;
    if (n > 0 && (!best || n > best.n || (n === best.n && c.s && !best.s))) best = { r: c.r, n, s: c.s };
  }
  return best?.r;
}

/**
 * Edits that make a Neuron pin name `target` exactly (shapes in the module table), or undefined
 * when the pin cannot be edited (no clauses, a lock-file entry, no specifier range to replace).
 */
export function neuronPinEdits(pin: PackagePin, target: string): TextEdit[] | undefined {
  if (pin.locked || pin.clauses.length === 0) return undefined;
  const clauses = pin.clauses.filter((c) => !c.implied);
  const only = clauses.length === 1 && pin.clauses.length === 1 ? clauses[0] : undefined;
  if (pin.manager === 'apt') {
    if (!only) return undefined;
    const keepRevision = only.version.replace(/^\d+:/, '').includes('-');
    return [{ range: only.versionRange, newText: `${target}${keepRevision ? '-*' : ''}` }];
  }
  if (only && (only.operator === '==' || only.operator === '===') && only.written === undefined) {
    if (only.version.endsWith('.*')) {
      const n = only.version.split('.').length - 1;
      return [{ range: only.versionRange, newText: `${target.split('.').slice(0, n).join('.')}.*` }];
    }
    return [{ range: only.versionRange, newText: target }];
  }
  if (!pin.specifierRange) return undefined;
  return [{ range: pin.specifierRange, newText: `==${target}` }];
}

/** Why a pin is left as it is, or undefined when it can be edited. */
function leftBecause(pin: PackagePin): string | undefined {
  if (pin.manager === 'conda') return 'installed from conda';
  if (pin.locked) return 'a lock-file entry';
  return undefined;
}

/**
 * The align fix of a file: every Neuron pin moved to the version `target` ships for it (one version
 * per package, chosen for its highest pin by {@link targetVersion}), and each
 * framework pin of `frameworkPins` whose framework a target framework build names moved to that
 * build's framework version (with `packagePinEdits`, keeping the pin's shape). Pins that already
 * allow their target are not edited. Undefined when nothing would change.
 */
export function neuronAlignFix(pins: readonly AlignPin[], frameworkPins: readonly PackagePinReference[], target: NeuronRelease, actx: AlignContext): Fix | undefined {
  const edits: TextEdit[] = [];
  const starts = new Set<string>(); // `line:character` of each edit's start: one edit per start
  const left: string[] = [];
  const frameworks = new Map<NeuronFramework, string>();
  let hashes = false;
  const push = (list: TextEdit[], pin: PackagePin) => {
    for (const e of list) {
      const at = `${e.range.start.line}:${e.range.start.character}`;
      if (!starts.has(at)) starts.add(at), edits.push(e);
    }
    hashes ||= pin.hasHashes;
  };
  // one version per package: the one for its highest pin (a file that pins a package twice gets it once)
  const chosen = new Map<string, string | undefined>();
  for (const p of [...pins].sort((a, b) => comparePackageVersions(b.version ?? '0', a.version ?? '0'))) {
    if (!chosen.has(p.package)) chosen.set(p.package, targetVersion(target, p, actx));
  }
  for (const p of pins) {
    const pin = p.ref.pin;
    const why = leftBecause(pin);
    const version = chosen.get(p.package);
    if (why || version === undefined) {
      left.push(`${pin.name}: ${why ?? `not in Neuron ${target.version}`}`);
      continue;
    }
    const part = frameworkPartOf(p.package, version);
    if (part && !frameworks.has(part.framework)) frameworks.set(part.framework, part.version);
    if (actx.accepts(pin, version)) continue;
    const e = neuronPinEdits(pin, version);
    if (e) push(e, pin);
    else left.push(`${pin.name}: its specifier cannot be rewritten`);
  }
  for (const f of frameworkPins) {
    const version = frameworks.get(f.subject as NeuronFramework);
    if (version === undefined || f.pin.clauses.length === 0 || actx.accepts({ ...f.pin, manager: 'pip' }, version)) continue;
    const e = packagePinEdits(f.pin, version);
    if (e) push(e, f.pin);
    else left.push(`${f.pin.name}: its specifier cannot be rewritten`);
  }
  if (edits.length === 0) return undefined;
  return { title: neuronAlignTitle(target.version, left, hashes), edits, safe: false, preferred: true, targetVersion: target.version };
}
