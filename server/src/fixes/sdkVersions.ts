/**
 * Fixes for SageMaker SDK calls (rules.md §Fixes must be safe): `framework_version` and
 * `py_version` change together to a combination the catalog lists as published for the call's
 * framework and job, i.e. a tag of the DLC repository the SDK pulls from (`pytorch-training` for
 * the `PyTorch` estimator, `pytorch-inference` for `PyTorchModel` and
 * `image_uris.retrieve(…, image_scope="inference")`, `huggingface-pytorch-training` for
 * `HuggingFace(…, pytorch_version=…)`) whose framework version and Python appear in one tag.
 * For Hugging Face calls `transformers_version`, `pytorch_version` (or `tensorflow_version`) and
 * `py_version` change together, to one published Hugging Face line.
 *
 * What is edited, and what is not:
 * - each edit replaces the located value of an argument (its text inside the quotes); when the value
 *   came from a constant of the same file, the constant's literal is edited (the reference's
 *   ranges already point there);
 * - a version keeps the number of components it was written with (`"1.8"` → `"2.5"`,
 *   `"1.8.0"` → `"2.5.1"`): the SDK accepts both and resolves `major.minor` to the newest patch;
 * - without `py_version` only the framework version changes (to one published with a supported
 *   Python, which is what the SDK's own default then has to match; the fix says so);
 * - no fix when no published combination is supported at `asOf`, or when the call has no
 *   located version to edit.
 * Fixes are never `safe`: a new framework version needs the training or inference code checked.
 */
import type { Catalog } from '../catalog/catalog';
import { minorOf } from '../catalog/catalog';
import type { DlcRepository } from '../catalog/images';
import type { Fix, Located, SdkFrameworkReference, TextEdit } from '../model';
import { compareVersions, versionNumbers } from './imageTag';

/** One published combination of a repository: framework version and Python (and transformers version for Hugging Face) as one tag carries them. */
export interface SdkCombination {
  frameworkVersion: string;
  /** `py310`; absent for tags without a Python part. */
  pyVersion?: string;
  transformersVersion?: string;
  /** A tag that carries the combination. */
  tag: string;
}

/** The ECR repository name of the DLC images an SDK call selects (`pytorch-training`), or undefined for frameworks without one. */
export function sdkRepositoryName(sdk: SdkFrameworkReference['sdk']): string | undefined {
  const job = sdk.job ?? 'training';
  if (sdk.framework === 'huggingface') return sdk.baseFrameworkVersion ? `huggingface-${sdk.baseFrameworkVersion.framework}-${job}` : undefined;
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(sdk.framework)) return undefined;
  return `${sdk.framework}-${job}`;
}

/** The catalog's record of the DLC repository an SDK call selects images from. */
export function sdkRepository(catalog: Catalog, sdk: SdkFrameworkReference['sdk']): DlcRepository | undefined {
  const name = sdkRepositoryName(sdk);
  return name ? catalog.images?.repository(name) : undefined;
}

/**
 * Every published combination of a repository, one per distinct framework version, Python and
 * transformers version (from the catalog's tag lists; tags without a framework version are left
 * out). Sorted by framework version, then Python, then transformers version. Memoised per catalog.
 */
export function publishedCombinations(catalog: Catalog, repository: string): readonly SdkCombination[] {
  return catalog.memoized(`sdk-combinations\u0000${repository}`, () => {
    const images = catalog.images;
    const repo = images?.repository(repository);
    if (!images || !repo) return [];
    const seen = new Map<string, SdkCombination>();
    for (const tag of repo.tags) {
      const p = images.parseDlcTag(tag, repository);
      const fv = p?.frameworkVersion?.text;
      if (!fv || versionNumbers(fv).length === 0) continue;
      const combo: SdkCombination = { frameworkVersion: fv, tag };
      if (p.python) combo.pyVersion = p.python.text;
      if (p.transformersVersion) combo.transformersVersion = p.transformersVersion.text;
      const key = `${fv}\u0000${combo.pyVersion ?? ''}\u0000${combo.transformersVersion ?? ''}`;
      if (!seen.has(key)) seen.set(key, combo);
    }
    return [...seen.values()].sort(
      (a, b) =>
        compareVersions(a.frameworkVersion, b.frameworkVersion) ||
        pyNumber(a.pyVersion) - pyNumber(b.pyVersion) ||
        compareVersions(a.transformersVersion ?? '0.0', b.transformersVersion ?? '0.0'),
    );
  });
}

/** `py310` → 310, `py3` → 3, absent → 0 (for ordering only). */
function pyNumber(py: string | undefined): number {
  const m = py ? /^py(\d{1,3})$/.exec(py) : null;
  return m ? Number(m[1]) : 0;
}

/** What a combination search needs. */
export interface CombinationQuery {
  catalog: Catalog;
  repository: string;
  /** `major.minor` of the version the call uses, when known. */
  currentMinor?: string;
  /** The call's `py_version` as written, when it has one. */
  currentPy?: string;
  /** Framework version `major.minor` is supported at `asOf` (released, end of patch not passed). */
  supported: (minor: string) => boolean;
  /** The version's support lasts beyond the warning window: nearest targets prefer these. */
  comfortable: (minor: string) => boolean;
  /** The Python of a combination is acceptable (not past end of life); called only for combinations with a Python. */
  pythonOk: (pyVersion: string) => boolean;
  /** The call has a `py_version` (then a combination must carry a specific, acceptable Python). */
  needsPython: boolean;
  /** Preferred number of version components (as written: 2 for `"1.8"`, 3 for `"1.8.0"`). */
  shape: number;
}

/** The best combination of each framework version `major.minor` that the query accepts, ascending. */
function bestPerMinor(q: CombinationQuery): Map<string, SdkCombination> {
  const best = new Map<string, SdkCombination>();
  for (const c of publishedCombinations(q.catalog, q.repository)) {
    const minor = minorOf(c.frameworkVersion);
    if (!minor || !q.supported(minor)) continue;
    if (q.needsPython && (!c.pyVersion || !/^py\d{2,3}$/.test(c.pyVersion) || !q.pythonOk(c.pyVersion))) continue;
    if (!q.needsPython && c.pyVersion && /^py\d{2,3}$/.test(c.pyVersion) && !q.pythonOk(c.pyVersion)) continue;
    const prev = best.get(minor);
    if (!prev || better(c, prev, q)) best.set(minor, c);
  }
  return best;
}

/** Within one `major.minor`: the written shape, then the call's own Python, then the newest patch, Python and transformers version. */
function better(a: SdkCombination, b: SdkCombination, q: CombinationQuery): boolean {
  const shape = (c: SdkCombination) => (versionNumbers(c.frameworkVersion).length === q.shape ? 1 : 0);
  const samePy = (c: SdkCombination) => (q.currentPy !== undefined && c.pyVersion === q.currentPy ? 1 : 0);
  return (
    shape(a) - shape(b) ||
    samePy(a) - samePy(b) ||
    compareVersions(a.frameworkVersion, b.frameworkVersion) ||
    pyNumber(a.pyVersion) - pyNumber(b.pyVersion) ||
    compareVersions(a.transformersVersion ?? '0.0', b.transformersVersion ?? '0.0')
  ) > 0;
}

/**
 * Target combinations: `nearest` (the same framework version when it is supported and only the
 * Python has to change; else the next supported framework version after the current one, preferring
 * one supported beyond the warning window; else the newest) and `latest` (the newest supported
 * framework version, when it differs from `nearest`).
 */
export function combinationTargets(q: CombinationQuery): { nearest?: SdkCombination; latest?: SdkCombination } {
  const best = bestPerMinor(q);
  const minors = [...best.keys()].sort((a, b) => compareVersions(a, b));
  if (minors.length === 0) return {};
  const latest = best.get(minors[minors.length - 1])!;
  let nearest: SdkCombination | undefined;
  if (q.currentMinor && best.has(q.currentMinor)) nearest = best.get(q.currentMinor);
  else {
    const later = q.currentMinor ? minors.filter((m) => compareVersions(m, q.currentMinor!) > 0) : minors;
    const pick = later.find((m) => q.comfortable(m)) ?? later[0];
    nearest = pick ? best.get(pick) : undefined;
  }
  nearest ??= latest;
  return { nearest, latest: latest !== nearest ? latest : undefined };
}

/** `target` with the number of components of `like` (at least two): `2.5.1` like `1.8` → `2.5`. */
export function versionLike(target: string, like: string): string {
  const parts = target.split('.');
  const n = versionNumbers(like).length || parts.length;
  return parts.slice(0, Math.max(2, Math.min(n, parts.length))).join('.');
}

/**
 * The edits that move an SDK call to `target`: the framework version argument (`framework_version`,
 * `version`, or the Hugging Face `pytorch_version`/`tensorflow_version`), `py_version` when the call
 * has one, and `transformers_version` for Hugging Face calls. Values equal to the target are left
 * alone; edits to the same range are merged (two arguments from one constant). Undefined when
 * there is no framework version to edit or nothing would change.
 */
export function combinationEdits(sdk: SdkFrameworkReference['sdk'], target: SdkCombination): TextEdit[] | undefined {
  const version: Located | undefined = sdk.framework === 'huggingface' ? sdk.baseFrameworkVersion : sdk.frameworkVersion;
  if (!version) return undefined;
  const edits: TextEdit[] = [];
  const add = (l: Located | undefined, text: string | undefined) => {
    if (!l || text === undefined || l.text === text) return;
    if (edits.some((e) => sameRange(e.range, l.range))) return;
    edits.push({ range: l.range, newText: text });
  };
  add(version, versionLike(target.frameworkVersion, version.text));
  if (sdk.pyVersion) add(sdk.pyVersion, target.pyVersion);
  if (sdk.framework === 'huggingface' && sdk.transformersVersion && target.transformersVersion) add(sdk.transformersVersion, versionLike(target.transformersVersion, sdk.transformersVersion.text));
  return edits.length ? edits : undefined;
}

function sameRange(a: TextEdit['range'], b: TextEdit['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * A fix that moves an SDK call to `target`, titled with the versions it writes and `label`
 * (`nearest supported: PyTorch 2.5`); `name` is the framework's display name (`PyTorch`). Never
 * `safe`. Undefined when {@link combinationEdits} has nothing to edit.
 */
export function combinationFix(sdk: SdkFrameworkReference['sdk'], target: SdkCombination, name: string, label: string, preferred: boolean): Fix | undefined {
  const edits = combinationEdits(sdk, target);
  if (!edits) return undefined;
  const version = (sdk.framework === 'huggingface' ? sdk.baseFrameworkVersion : sdk.frameworkVersion)!;
  const parts = [`${name} ${versionLike(target.frameworkVersion, version.text)}`];
  if (sdk.framework === 'huggingface' && sdk.transformersVersion && target.transformersVersion) parts.push(`transformers ${versionLike(target.transformersVersion, sdk.transformersVersion.text)}`);
  if (sdk.pyVersion && target.pyVersion) parts.push(`py_version ${target.pyVersion}`);
  const noPy = !sdk.pyVersion && target.pyVersion ? `; published with ${target.pyVersion}: check the default py_version` : '';
  return { title: `Use ${parts.join(', ')} (${label}${noPy})`, edits, safe: false, preferred, targetVersion: target.frameworkVersion };
}
