/**
 * Rules for SageMaker Python SDK calls (`SdkFrameworkReference`; rules.md §Framework image rules,
 * §Dependency rules, §Registry and image rules): an SDK call selects a DLC image by framework
 * version, Python and job, so it is judged like the image it selects.
 *
 * - `end-of-patch`, `end-of-patch-soon`, `superseded-patch`, `unsupported-version`,
 *   `unknown-version` on the framework version (`framework_version=`, `version=` of
 *   `image_uris.retrieve`; for Hugging Face calls the framework version the images are built on,
 *   `pytorch_version=` / `tensorflow_version=` / `base_framework_version=`), resolved as a package
 *   pin `==x.y.z` (or `==x.y.*` for `x.y`, which the SDK resolves to the newest patch) by
 *   `evaluateVersion`. The end of patch is the one of the call's job (`catalog.endOfPatch(v, job)`:
 *   models and `image_scope="inference"` use the inference end of patch where the table gives one).
 *   `superseded-patch` only when the later patch is published for the call's repository (DLAMI
 *   §Framework version (patch) upgrades).
 * - `python-end-of-life` on `py_version` (`py27`, `py36`, `py38`, …; `py3` names no version and is
 *   not judged), from `catalog.lifecycle.pythonEol` (DLAMI §Dependency end-of-support).
 * - `discontinued` for Chainer and Apache MXNet calls (`catalog.lifecycle.retiredFor({ framework })`)
 *   and for Elastic Inference accelerators in `accelerator_type=` / `instance_type=`
 *   (`retiredFor({ acceleratorType })`).
 * Findings lie on the argument they are about (the constant's literal when the value came from
 * one); `discontinued` of a framework lies on the callee. Fixes (`fixes/sdkVersions.ts`) change the
 * framework version and `py_version` together to a combination published for the framework and job.
 * Rules never read the clock: `ctx.asOf` is the evaluation day.
 */
import type { Framework, FrameworkVersion } from '../catalog/catalog';
import { minorOf } from '../catalog/catalog';
import type { PythonRelease, RetiredThing } from '../catalog/lifecycle';
import type { CalendarDay } from '../dates';
import { addDays, daysBetween, toEpochDay } from '../dates';
import type { CombinationQuery, SdkCombination } from '../fixes/sdkVersions';
import { combinationFix, combinationTargets, publishedCombinations, sdkRepositoryName, versionLike } from '../fixes/sdkVersions';
import { compareVersions, versionNumbers } from '../fixes/imageTag';
import type { Fact, Finding, Fix, Located, PackagePinReference, SdkFrameworkReference } from '../model';
import { referenceFinding, retiredSince } from './containerImage';
import type { RuleContext } from './context';
import type { ReferenceDescription } from './describe';
import type { VersionEvaluation } from './frameworkVersion';
import { evaluateVersion } from './frameworkVersion';
import * as msg from './messages';

type Job = 'training' | 'inference';

/** What the catalog says about the framework version an SDK call selects. */
export interface SdkEvaluation {
  /** The framework of the framework table judged (PyTorch for `HuggingFace(…, pytorch_version=…)`). */
  framework?: Framework;
  /** The argument judged: `framework_version`, `version`, or the Hugging Face base framework version. */
  version?: Located;
  /** The version resolved as a package pin would be. */
  evaluation?: VersionEvaluation;
  record?: FrameworkVersion;
  job: Job;
  /** End of patch for the call's job. */
  endOfPatch?: CalendarDay;
  /** Where `endOfPatch` comes from, in words. */
  endOfPatchBasis?: string;
  /** The DLC repository the call pulls from (`pytorch-training`), when the catalog knows it. */
  repository?: string;
}

/** A package pin standing for an SDK version argument, so that versions resolve as pins do: `x.y` as `==x.y.*`, `x.y.z` as `==x.y.z`. */
function pinFor(framework: Framework, version: Located): PackagePinReference {
  const text = version.text.trim();
  const clause = versionNumbers(text).length === 2 ? `${text}.*` : text;
  return {
    kind: 'framework-package-pin',
    subject: framework.id,
    version: text,
    text,
    range: version.range,
    pin: { name: framework.id, normalizedName: framework.id, nameRange: version.range, specifier: `==${clause}`, clauses: [{ operator: '==', version: clause, versionRange: version.range }], hasHashes: false, constraint: false },
  };
}

/** Evaluates the framework version of an SDK call. */
export function evaluateSdk(ref: SdkFrameworkReference, ctx: RuleContext): SdkEvaluation {
  const { catalog } = ctx;
  const sdk = ref.sdk;
  const job: Job = sdk.job ?? 'training';
  const hf = sdk.framework === 'huggingface';
  const version = hf ? sdk.baseFrameworkVersion : sdk.frameworkVersion;
  const framework = catalog.framework(hf ? (sdk.baseFrameworkVersion?.framework ?? '') : sdk.framework);
  const repoName = sdkRepositoryName(sdk);
  const se: SdkEvaluation = { framework, version, job, repository: repoName && catalog.images?.repository(repoName) ? repoName : undefined };
  if (!framework || !version) return se;
  se.evaluation = evaluateVersion(pinFor(framework, version), ctx);
  const minor = se.evaluation?.minor;
  se.record = minor ? catalog.frameworkVersion(framework.id, minor) : undefined;
  if (se.record) {
    se.endOfPatch = catalog.endOfPatch(se.record, job);
    se.endOfPatchBasis =
      job === 'inference' && se.record.endOfPatchInference ? `of inference images, published in the ${catalog.sourceTitle(se.record.endOfPatchSource)}` : msg.endOfPatchBasisText(catalog, se.record);
  }
  return se;
}

/** True when `a` is after `b` (calendar days). */
function after(a: CalendarDay, b: CalendarDay): boolean {
  return toEpochDay(a) > toEpochDay(b);
}

/** The Python of `py_version` with its end-of-life record, when it names one (`py38`; not `py3`). */
function sdkPython(ref: SdkFrameworkReference, ctx: RuleContext): { written: Located; release: PythonRelease } | undefined {
  const py = ref.sdk.pyVersion;
  const release = py ? ctx.catalog.lifecycle?.pythonEol(py.text.trim()) : undefined;
  return py && release ? { written: py, release } : undefined;
}

/** `PyTorch 1.8`, `PyTorch 2.6 (inference images)`. */
function versionWhat(se: SdkEvaluation): string {
  const v = se.evaluation?.minor ?? se.version?.text ?? '';
  return `${se.framework?.name ?? ''} ${v}${se.job === 'inference' && se.record?.endOfPatchInference ? ' (inference images)' : ''}`;
}

/** The combination search of a call, or undefined when its images' repository is unknown or it has no framework version. */
function combinationQuery(ref: SdkFrameworkReference, se: SdkEvaluation, ctx: RuleContext): CombinationQuery | undefined {
  const { catalog, asOf } = ctx;
  if (!se.repository || !se.framework || !se.version) return undefined;
  const fw = se.framework;
  const beyond = addDays(asOf, ctx.warningWindowDays);
  const endOf = (minor: string) => {
    const r = catalog.frameworkVersion(fw.id, minor);
    if (!r || (r.ga && after(r.ga, asOf))) return undefined;
    return catalog.endOfPatch(r, se.job);
  };
  const lifecycle = catalog.lifecycle;
  return {
    catalog,
    repository: se.repository,
    currentMinor: se.evaluation?.minor,
    currentPy: ref.sdk.pyVersion?.text,
    supported: (m) => {
      const end = endOf(m);
      return end !== undefined && !after(asOf, end);
    },
    comfortable: (m) => {
      const end = endOf(m);
      return end !== undefined && after(end, beyond);
    },
    pythonOk: (py) => {
      const release = lifecycle?.pythonEol(py);
      return release !== undefined && !after(asOf, release.endOfLife);
    },
    needsPython: ref.sdk.pyVersion !== undefined,
    shape: versionNumbers(se.version.text.trim()).length,
  };
}

/** Fixes to supported published combinations: nearest, then latest. */
function combinationFixes(ref: SdkFrameworkReference, se: SdkEvaluation, ctx: RuleContext, nearestWord = 'nearest supported'): Fix[] {
  const q = combinationQuery(ref, se, ctx);
  if (!q) return [];
  // the targets depend on what the query is built from, not on where the call is written: memoised per catalog
  const key = `sdk-targets\u0000${q.repository}\u0000${se.framework!.id}\u0000${se.job}\u0000${q.currentMinor ?? ''}\u0000${q.currentPy ?? '\u0001'}\u0000${q.needsPython}\u0000${q.shape}\u0000${ctx.asOf}\u0000${ctx.warningWindowDays}`;
  const { nearest, latest } = ctx.catalog.memoized(key, () => combinationTargets(q));
  const fixes: Fix[] = [];
  const name = se.framework!.name;
  const push = (c: SdkCombination | undefined, word: string) => {
    const f = c ? combinationFix(ref.sdk, c, name, `${word}: ${name} ${minorOf(c.frameworkVersion) ?? c.frameworkVersion}`, fixes.length === 0) : undefined;
    if (f && !fixes.some((x) => x.title === f.title)) fixes.push(f);
  };
  push(nearest, nearestWord);
  push(latest, 'latest supported');
  return fixes;
}

/** The later patch of the call's framework version that is published for its repository (with the call's Python when it has one), if any. */
function publishedLaterPatch(ref: SdkFrameworkReference, se: SdkEvaluation, ctx: RuleContext): SdkCombination | undefined {
  const latest = se.evaluation?.supersededBy?.version;
  if (!latest || !se.repository) return undefined;
  const py = ref.sdk.pyVersion?.text;
  return publishedCombinations(ctx.catalog, se.repository).find((c) => compareVersions(c.frameworkVersion, latest) === 0 && versionNumbers(c.frameworkVersion).length === 3 && (!py || c.pyVersion === py));
}

/** The retired things of a framework (Chainer, Apache MXNet) or of an accelerator type (`ml.eia2.medium`), retired on `asOf`. */
export function retired(ctx: RuleContext, query: { framework?: string; acceleratorType?: string }): RetiredThing[] {
  const found = ctx.catalog.lifecycle?.retiredFor(query) ?? [];
  return found.filter((r) => !r.end || !after(r.end.effectiveDay, ctx.asOf));
}

/** The facts shown with every finding of an SDK call and in its hover (shared between its findings: read-only). */
export function sdkFacts(ref: SdkFrameworkReference, se: SdkEvaluation, ctx: RuleContext): readonly Fact[] {
  const { catalog, asOf } = ctx;
  const sdk = ref.sdk;
  const facts: Fact[] = [];
  // a Terraform module block that deploys framework images is read as the SDK call it stands for (`module.<name>`)
  facts.push({ label: sdk.call.startsWith('module.') ? 'Terraform module' : 'SageMaker SDK call', value: `${sdk.call}: ${sdk.framework || 'no framework'}${sdk.job ? `, ${sdk.job}` : ''}${se.repository ? ` (images from ${se.repository})` : ''}` });
  if (sdk.transformersVersion) facts.push({ label: 'Transformers', value: sdk.transformersVersion.text });
  const r = se.record;
  if (se.framework && r) {
    const what = `${se.framework.name} ${r.version}`;
    if (r.ga) facts.push({ label: `${what} GA`, value: r.ga, source: catalog.sourceTitle(r.gaSource) });
    if (se.endOfPatch) facts.push({ label: `${what} end of patch${se.job === 'inference' && r.endOfPatchInference ? ' (inference images)' : ''}`, value: `${se.endOfPatch} (${msg.relativeDays(daysBetween(asOf, se.endOfPatch))})`, source: se.endOfPatchBasis });
    const latest = catalog.latestPatch(r);
    if (latest) facts.push({ label: 'Latest patch', value: latest.released ? `${latest.version} (${msg.releasedText(latest.released, latest.dateKind)})` : latest.version, source: catalog.sourceTitle(latest.source) });
  }
  const py = sdkPython(ref, ctx);
  if (py) facts.push({ label: `Python ${py.release.version} end of life`, value: `${py.release.endOfLife} (${msg.relativeDays(daysBetween(asOf, py.release.endOfLife))})`, source: catalog.lifecycle?.sourceTitle(py.release.source) });
  for (const l of [sdk.instanceType, sdk.acceleratorType]) {
    for (const t of l ? retired(ctx, { acceleratorType: l.text.trim() }) : []) facts.push({ label: t.name, value: `retired${t.end ? ` since ${t.end.on}` : ''}`, source: t.sources[0] ? catalog.lifecycle?.sourceTitle(t.sources[0]) : undefined });
  }
  return facts;
}

/**
 * Runs the SDK rules on one SDK call.
 * @returns findings with their default severities for `sdk-framework` references (the caller applies user severities and `off`)
 */
export function checkSdkFramework(ref: SdkFrameworkReference, ctx: RuleContext): Finding[] {
  const { asOf } = ctx;
  const sdk = ref.sdk;
  const se = evaluateSdk(ref, ctx);
  const facts = sdkFacts(ref, se, ctx);
  const out: Finding[] = [];
  if (sdk.framework) {
    for (const r of retired(ctx, { framework: sdk.framework })) {
      out.push(referenceFinding('discontinued', msg.retiredMessage(r.name, `${sdk.call}(…)`, r.end?.on, r.summary, r.migration), ref, facts, [], { since: retiredSince(r) }));
    }
  }
  for (const l of [sdk.instanceType, sdk.acceleratorType]) {
    if (!l) continue;
    for (const r of retired(ctx, { acceleratorType: l.text.trim() })) {
      out.push(referenceFinding('discontinued', msg.retiredMessage(r.name, `\`${l.text}\``, r.end?.on, r.summary, r.migration), ref, facts, [], { range: l.range, since: retiredSince(r) }));
    }
  }
  out.push(...versionFindings(ref, se, ctx, facts));
  const py = sdkPython(ref, ctx);
  if (py && after(asOf, py.release.endOfLife)) {
    const ago = daysBetween(py.release.endOfLife, asOf);
    out.push(
      referenceFinding('python-end-of-life', msg.pythonEndOfLifeMessage(py.release.version, py.written.text, py.release.endOfLife, ago, 'SageMaker images'), ref, facts, combinationFixes(ref, se, ctx, 'nearest with a supported Python'), {
        range: py.written.range,
        since: py.release.endOfLife,
      }),
    );
  }
  return out;
}

/** The framework-version findings of an SDK call (on the version argument). */
function versionFindings(ref: SdkFrameworkReference, se: SdkEvaluation, ctx: RuleContext, facts: readonly Fact[]): Finding[] {
  const { catalog, asOf } = ctx;
  const ev = se.evaluation;
  const fw = se.framework;
  const version = se.version;
  if (!ev || !fw || !version) return [];
  const at = { range: version.range, version: version.text };
  if (ev.unresolved === 'newer-than-catalog') return [referenceFinding('unknown-version', msg.unknownVersionMessage(fw, ev.minor ?? version.text, catalog, false), ref, facts, [], at)];
  if (ev.unresolved === 'unreadable' || ev.unresolved === 'unpinned') {
    return [referenceFinding('unresolved-reference', `Cannot read \`${version.text}\` as a ${fw.name} version, so it is not judged.`, ref, facts, [], at)];
  }
  const minor = ev.minor ?? minorOf(version.text);
  if (!minor) return [];
  const record = se.record;
  const known = catalog.frameworkVersions(fw.id);
  if (!record) {
    const reason = known.length && compareVersions(minor, known[0].version) < 0 ? `it is older than every version in the support table (oldest known: ${known[0].version})` : 'it was never in the support table';
    return [referenceFinding('unsupported-version', msg.unsupportedMessage(fw, minor, catalog, reason), ref, facts, combinationFixes(ref, se, ctx), at)];
  }
  const end = se.endOfPatch;
  if (!end) {
    const newerDated = known.some((k) => k.endOfPatch && compareVersions(k.version, minor) > 0);
    return !record.ga && !newerDated
      ? [referenceFinding('unknown-version', msg.unknownVersionMessage(fw, minor, catalog, true), ref, facts, [], at)]
      : [referenceFinding('unsupported-version', msg.unsupportedMessage(fw, minor, catalog, 'no end-of-patch date is known for it'), ref, facts, combinationFixes(ref, se, ctx), at)];
  }
  const left = daysBetween(asOf, end);
  const basis = se.endOfPatchBasis ?? 'source not recorded';
  const common = { ...at, endOfPatch: end };
  if (left < 0) return [referenceFinding('end-of-patch', msg.imageEndOfPatchMessage(versionWhat(se), 'SageMaker images', end, -left, basis), ref, facts, combinationFixes(ref, se, ctx), { ...common, since: end })];
  const out: Finding[] = [];
  if (left <= ctx.warningWindowDays) out.push(referenceFinding('end-of-patch-soon', msg.imageEndOfPatchSoonMessage(versionWhat(se), end, left, basis), ref, facts, combinationFixes(ref, se, ctx), common));
  const later = publishedLaterPatch(ref, se, ctx);
  const release = ev.supersededBy;
  if (later && release) {
    const fix = combinationFix(ref.sdk, later, fw.name, 'latest patch', true);
    out.push(referenceFinding('superseded-patch', msg.imageSupersededMessage(fw.name, version.text, release.version, release.released, release.dateKind, later.tag), ref, facts, fix ? [fix] : [], { ...common, since: release.released }));
  }
  return out;
}

/**
 * The hover description of an SDK call: the framework version's lifecycle for the call's job, the
 * `py_version`'s end of life, the combinations published for the framework version (or, when none
 * is supported, the nearest supported ones), and retired accelerators.
 */
export function describeSdkFramework(ref: SdkFrameworkReference, ctx: RuleContext): ReferenceDescription {
  const se = evaluateSdk(ref, ctx);
  const facts = [...sdkFacts(ref, se, ctx)];
  const sdk = ref.sdk;
  const title = se.framework && se.version ? `${versionWhat(se)} (SageMaker SDK ${sdk.call}${sdk.job ? `, ${sdk.job}` : ''})` : `SageMaker SDK ${sdk.call}`;
  let status: string | undefined;
  const retiredNow = sdk.framework ? retired(ctx, { framework: sdk.framework }) : [];
  if (retiredNow.length) status = `⚠ ${retiredNow[0].name} is discontinued.`;
  else if (se.endOfPatch) {
    const left = daysBetween(ctx.asOf, se.endOfPatch);
    status = left < 0 ? `⚠ End of patch reached ${msg.days(left)} ago.` : left <= ctx.warningWindowDays ? `Ends patch support in ${msg.days(left)}.` : `Supported: end of patch in ${msg.days(left)}.`;
  } else if (se.version && se.framework) status = 'No end-of-patch date is known for this version.';
  else if (!se.version && se.framework) status = 'No framework version is given here.';
  if (se.repository && se.evaluation?.minor) {
    const minor = se.evaluation.minor;
    const same = publishedCombinations(ctx.catalog, se.repository).filter((c) => minorOf(c.frameworkVersion) === minor && versionNumbers(c.frameworkVersion).length === 3);
    facts.push({ label: `Published in ${se.repository} for ${se.framework!.name} ${minor}`, value: same.length ? listText(same.map(comboText), 8) : 'none' });
    const q = combinationQuery(ref, se, ctx);
    if (q) {
      const { nearest, latest } = combinationTargets(q);
      const targets = [nearest, latest].filter((c): c is SdkCombination => c !== undefined);
      facts.push({ label: 'Supported combinations', value: targets.length ? targets.map((c) => comboText({ ...c, frameworkVersion: versionLike(c.frameworkVersion, se.version!.text) })).join(', ') : 'none published' });
    }
  }
  return { title, status, facts };
}

function comboText(c: SdkCombination): string {
  return [c.transformersVersion ? `transformers ${c.transformersVersion}` : '', c.frameworkVersion, c.pyVersion ?? ''].filter(Boolean).join(' ');
}

function listText(items: readonly string[], max: number): string {
  const unique = [...new Set(items)];
  return unique.length > max ? `${unique.slice(0, max).join(', ')}, … (${unique.length} in all)` : unique.join(', ');
}
