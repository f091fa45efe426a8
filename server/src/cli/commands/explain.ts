/**
 * `dl-lifecycle explain <subject>`: what the catalog and the rules say about one subject at
 * `--as-of`, as a hover would show it, from the shell. Subjects:
 *
 * - a framework and version: `pytorch 1.13`, `tensorflow 2.16.1`, `mxnet 1.9`;
 * - a requirement: `torch==2.1.0`, `tensorflow>=2.14,<2.16`;
 * - a DLC image URI: `763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker`,
 *   `public.ecr.aws/neuron/pytorch-inference-neuronx:2.9.0-neuronx-py312-sdk2.31.1-ubuntu24.04`;
 * - a Neuron package pin: `torch-neuronx==2.1.2.2.3.0`, `neuronx-cc==2.15.128.0`.
 *
 * Exit codes: 0 explained, 2 usage error or a subject the catalog does not know.
 */
import { analyzeText } from '../../analysis';
import type { Catalog, Framework } from '../../catalog/catalog';
import { minorOf, normalizePackageName } from '../../catalog/catalog';
import type { Fact } from '../../model';
import { describeReference } from '../../rules/describe';
import { fileKindById, TEXT_KIND } from '../../scanners/fileKinds';
import { recognizeDlami, recognizeImage } from '../../scanners/images';
import { CATALOG_OPTIONS, CATALOG_OPTIONS_USAGE, loadCliCatalog } from '../catalogOptions';
import type { CliIO } from '../io';
import { asOfOption, formatOption, parseCommandArgs, UsageError, wholeDaysOption } from '../io';

export const EXPLAIN_USAGE = `Usage: dl-lifecycle explain <subject> [options]

Prints what the lifecycle catalog and the rules say about one subject at --as-of: the answer a
hover gives in the editor.

Subjects:
  <framework> <version>   pytorch 1.13 · tensorflow 2.16.1 · mxnet 1.9 (a major.minor means its newest patch)
  <requirement>           torch==2.1.0 · 'tensorflow>=2.14,<2.16'
  <image URI>             763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker
  <Neuron package pin>    torch-neuronx==2.1.2.2.3.0
  <DLAMI name or SSM path> 'Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *'
                          /aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id

Options:
  --as-of YYYY-MM-DD      evaluation day (default: today, UTC)
  --warning-window DAYS   days before end of patch that count as ending soon (default: 90)
  --format FORMAT         text|json (default: text)
${CATALOG_OPTIONS_USAGE}  -h, --help              show this help
`;

/** What `explain` found out, for both output formats. */
export interface Explanation {
  subject: string;
  kind: 'framework-version' | 'dlc-image' | 'neuron-package' | 'dlami';
  title: string;
  status?: string;
  facts: Fact[];
  findings: Array<{ rule: string; severity: string; message: string }>;
  asOf: string;
  catalog: string;
}

function findFramework(catalog: Catalog, name: string): Framework | undefined {
  const norm = normalizePackageName(name);
  return catalog.frameworkForPackage(norm) ?? catalog.frameworks.find((f) => f.id === norm || normalizePackageName(f.name) === norm);
}

/** The one-line requirements text that stands for the subject, or undefined when it is not a framework subject. */
function requirementFor(catalog: Catalog, args: string[]): string | undefined {
  if (args.length === 2) {
    const fw = findFramework(catalog, args[0]);
    if (!fw) throw new UsageError(`unknown framework '${args[0]}' (known: ${catalog.frameworks.map((f) => f.id).join(', ')})`);
    const version = args[1].replace(/^v/, '');
    if (/^\d+\.\d+$/.test(version)) return `${fw.packages[0]}==${version}.*`;
    if (/^\d+\.\d+\.\d+$/.test(version)) return `${fw.packages[0]}==${version}`;
    throw new UsageError(`'${args[1]}' is not a framework version (major.minor or major.minor.patch)`);
  }
  if (args.length === 1) {
    const name = /^[A-Za-z0-9._-]+/.exec(args[0])?.[0];
    if (name && findFramework(catalog, name) && name.length < args[0].length) return args[0];
  }
  return undefined;
}

/**
 * Explains a subject. @throws UsageError when the subject is not one the catalog knows
 */
export function explain(args: string[], catalog: Catalog, asOf: string, warningWindowDays: number): Explanation {
  const subject = args.join(' ');
  if (args.length === 1) {
    const image = explainImage(args[0], catalog, asOf, warningWindowDays);
    if (image) return image;
    const neuron = explainNeuronPin(args[0], catalog, asOf, warningWindowDays);
    if (neuron) return neuron;
  }
  const dlami = explainDlami(subject, catalog, asOf, warningWindowDays);
  if (dlami) return dlami;
  const line = requirementFor(catalog, args);
  if (line === undefined) throw new UsageError(`cannot explain '${subject}': give a framework and version (pytorch 1.13), a requirement (torch==2.1.0), a DLC image URI, a Neuron package pin, or a DLAMI name or SSM parameter`);
  return explainRequirement(subject, line, catalog, asOf, warningWindowDays);
}

function explainRequirement(subject: string, line: string, catalog: Catalog, asOf: string, warningWindowDays: number): Explanation {
  const kind = fileKindById('pip-requirements')!;
  const analysis = analyzeText(`${line}\n`, 'requirements.txt', kind, catalog, { asOf, warningWindowDays });
  const ref = analysis.scan.references[0];
  const d = ref ? describeReference(ref, analysis.context) : undefined;
  if (!ref || !d) throw new UsageError(`cannot explain '${subject}': '${line}' is not a framework pin the catalog can evaluate`);
  return {
    subject,
    kind: 'framework-version',
    title: d.title,
    status: d.status,
    facts: d.facts,
    findings: analysis.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
    asOf,
    catalog: catalog.generated,
  };
}

/** Explains a Deep Learning AMI name, name filter or SSM parameter path (the whole subject); undefined when it is not one. */
function explainDlami(subject: string, catalog: Catalog, asOf: string, warningWindowDays: number): Explanation | undefined {
  if (!recognizeDlami(subject, (character) => ({ line: 0, character }), catalog)) return undefined;
  const analysis = analyzeText(subject, 'subject.txt', TEXT_KIND, catalog, { asOf, warningWindowDays });
  const ref = analysis.scan.references.find((r) => r.kind === 'dlami');
  const d = ref ? describeReference(ref, analysis.context) : undefined;
  if (!ref || !d) return undefined;
  const findings = analysis.findings.filter((f) => f.reference === ref).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message }));
  return { subject, kind: 'dlami', title: d.title, status: d.status, facts: d.facts, findings, asOf, catalog: catalog.generated };
}

/** Explains a DLC image URI; undefined when the text is not one. */
function explainImage(text: string, catalog: Catalog, asOf: string, warningWindowDays: number): Explanation | undefined {
  const images = catalog.images;
  if (!images) return undefined;
  const ref = recognizeImage(text, (character) => ({ line: 0, character }), catalog);
  if (!ref || ref.image.family !== 'dlc') return undefined;
  const { account, region } = ref.image;
  const repository = ref.image.repository.text;
  const tag = ref.image.tag?.text;
  const repo = images.repository(repository);
  if (!repo) throw new UsageError(`'${repository}' is not a DLC repository the catalog knows`);
  const facts: Fact[] = [];
  const source = (id: string | undefined) => (id ? images.source(id)?.title ?? id : undefined);
  if (account && region && !account.placeholder && !region.placeholder) {
    const registry = images.registryFor(region.text);
    facts.push({
      label: 'Registry',
      value: registry
        ? registry.account === account.text
          ? `${account.text} serves DLC images in ${region.text}`
          : `${region.text}'s DLC account is ${registry.account}, not ${account.text}${images.isLegacyAccount(account.text) ? ` (${account.text} is a legacy registry)` : ''}`
        : `no DLC registry is known for region ${region.text}`,
    });
  } else if (account || region) facts.push({ label: 'Registry', value: `${ref.image.registry?.text ?? 'private ECR'} (account or region is a placeholder)` });
  else facts.push({ label: 'Registry', value: `ECR Public (${images.publicRegistry(text)?.kind === 'neuron' ? 'neuron' : 'deep-learning-containers'})` });
  facts.push({ label: 'Repository', value: `${repo.frameworkName} ${repo.job}; processors ${repo.processors.join(', ')}; platforms ${repo.platforms.join(', ') || 'n/a'}${repo.accelerator ? `; ${repo.accelerator}` : ''}${repo.legacy ? '; legacy (no longer in the current DLC lists)' : ''}` });
  const parts = tag ? images.parseDlcTag(tag, repository) : undefined;
  let status: string | undefined;
  let findings: Explanation['findings'] = [];
  let title = `${repo.frameworkName} DLC ${repository}${tag ? `:${tag}` : ''}`;
  if (!tag) status = 'No tag: the image cannot be judged.';
  else if (!parts) status = `The tag '${tag}' does not follow a DLC tag scheme.`;
  else {
    facts.push({ label: 'Published', value: parts.published ? `yes (${source(images.tagSource(repository, tag))})` : 'no: the catalog lists no such tag for this repository' });
    const bits = (['frameworkVersion', 'transformersVersion', 'processor', 'python', 'cuda', 'os', 'neuronSdk', 'platform', 'suffix'] as const)
      .filter((k) => parts[k])
      .map((k) => `${k} ${parts[k]!.text}`);
    facts.push({ label: 'Tag parts', value: `${parts.scheme}: ${bits.join(', ')}` });
    const py = parts.python ? catalog.lifecycle?.pythonEol(parts.python.text) : undefined;
    if (py) facts.push({ label: `Python ${py.version}`, value: `end of life ${py.endOfLife}${py.endOfLife < asOf ? ' (past)' : ''}`, source: catalog.lifecycle?.sourceTitle(py.source) });
    const os = parts.os ? catalog.lifecycle?.osEol(parts.os.text) : undefined;
    if (os) facts.push({ label: os.name, value: `end of life ${os.endOfLife}${os.endOfLife < asOf ? ' (past)' : ''}`, source: catalog.lifecycle?.sourceTitle(os.source) });
    for (const r of catalog.lifecycle?.retiredFor({ repository, imageTag: tag }) ?? []) facts.push({ label: `Retired: ${r.name}`, value: `${r.summary}${r.end ? ` (ended ${r.end.on})` : ''}` });
    const fw = catalog.framework(repo.framework) ?? (parts.transformersVersion ? catalog.framework(repo.framework.replace(/^huggingface-/, '')) : undefined);
    const fv = parts.frameworkVersion?.text;
    if (fw && fv && /^\d+\.\d+(\.\d+)?$/.test(fv)) {
      const job = repo.job === 'inference' ? 'inference' : 'training';
      const inner = explainRequirement(text, `${fw.packages[0]}==${/^\d+\.\d+$/.test(fv) ? `${fv}.*` : fv}`, catalog, asOf, warningWindowDays);
      title = `${inner.title} DLC (${repository})`;
      status = inner.status;
      facts.push(...inner.facts.filter((f) => f.label !== 'Supported targets'));
      const record = catalog.frameworkVersion(fw.id, minorOf(fv) ?? '');
      if (job === 'inference' && record?.endOfPatchInference) facts.push({ label: 'End of patch (inference images)', value: record.endOfPatchInference });
      findings = inner.findings.filter((f) => f.rule !== 'superseded-patch');
      const near = images.nearestPublishedTags(repository, tag, (v) => {
        const record = catalog.frameworkVersion(fw.id, minorOf(v) ?? '');
        const end = record ? catalog.endOfPatch(record, job) : undefined;
        return end !== undefined && end >= asOf;
      });
      facts.push({ label: 'Nearest supported tags', value: near.length ? near.map((n) => n.tag).join(', ') : 'none published' });
    }
  }
  return { subject: text, kind: 'dlc-image', title, status, facts, findings, asOf, catalog: catalog.generated };
}

/** Explains a Neuron package pin (`torch-neuronx==2.1.2.2.3.0`); undefined when the text is not one. */
function explainNeuronPin(text: string, catalog: Catalog, asOf: string, warningWindowDays: number): Explanation | undefined {
  const neuron = catalog.neuron;
  const m = /^([A-Za-z0-9._-]+)\s*==\s*([0-9][0-9A-Za-z.+-]*)$/.exec(text.trim());
  if (!neuron || !m || !neuron.isNeuronPackage(m[1])) return undefined;
  const [name, version] = [normalizePackageName(m[1]), m[2]];
  const releases = neuron.neuronRelease(name, version);
  const facts: Fact[] = [];
  const part = neuron.frameworkPartOf(name, version);
  if (part) facts.push({ label: 'Framework part', value: `${part.framework} ${part.version} (Neuron part ${part.neuronPart})` });
  facts.push({ label: 'Neuron SDK releases', value: releases.length ? releases.map((r) => `${r.version}${r.date ? ` (${r.date})` : ''}`).join(', ') : 'none ship this exact version' });
  const newest = releases[releases.length - 1];
  if (newest) {
    const others = Object.entries(newest.packages).filter(([p]) => p !== name).slice(0, 12).map(([p, v]) => `${p} ${v[v.length - 1]}`);
    facts.push({ label: `Neuron ${newest.version} also ships`, value: others.join(', ') || 'nothing else listed' });
  }
  const latest = neuron.latest(asOf);
  if (latest) facts.push({ label: 'Latest Neuron SDK', value: `${latest.version}${latest.date ? ` (${latest.date})` : ''}` });
  for (const a of neuron.announcementsForPackage(name, version)) {
    const end = neuron.supportEnd(a);
    facts.push({ label: `Announced ${a.announced}`, value: `${a.what}${end.release ? ` (from Neuron ${end.release.version}${end.release.date ? `, ${end.release.date}` : ''})` : end.date ? ` (from ${end.date})` : ''}` });
  }
  const status = releases.length === 0 ? 'This version is not in any Neuron SDK release the catalog knows.' : latest && newest && latest.version !== newest.version ? `Belongs to Neuron ${newest.version}; the latest release is ${latest.version}.` : undefined;
  // the findings a requirements file with this one line would get (the Neuron SDK rules)
  const analysis = analyzeText(`${text.trim()}\n`, 'requirements.txt', fileKindById('pip-requirements')!, catalog, { asOf, warningWindowDays });
  const findings = analysis.findings.filter((f) => f.reference).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message }));
  return { subject: text, kind: 'neuron-package', title: `Neuron package ${name} ${version}`, status, facts, findings, asOf, catalog: catalog.generated };
}

/** Renders an explanation as aligned text. */
export function explanationText(e: Explanation): string {
  const out = [`${e.title} (${e.subject})`];
  if (e.status) out.push(`  ${e.status.replace(/`/g, "'")}`);
  out.push('');
  const width = Math.max(...e.facts.map((f) => f.label.length), 0);
  for (const f of e.facts) {
    out.push(`  ${f.label.padEnd(width)}  ${f.value}`);
    if (f.source) out.push(`  ${''.padEnd(width)}  source: ${f.source}`);
  }
  out.push('');
  if (e.findings.length === 0) out.push('  No findings.');
  for (const f of e.findings) out.push(`  ${f.severity} ${f.rule}: ${f.message}`);
  out.push('', `Evaluated as of ${e.asOf} · catalog dated ${e.catalog}`);
  return `${out.join('\n')}\n`;
}

/** `dl-lifecycle explain <subject> [options]`; returns the exit code. @throws UsageError, CatalogError */
export function runExplain(argv: string[], io: CliIO): number {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...CATALOG_OPTIONS, 'as-of': { type: 'string' }, format: { type: 'string' }, 'warning-window': { type: 'string' } },
    'dl-lifecycle explain --help',
  );
  if (positionals.length === 0) throw new UsageError('missing subject (see dl-lifecycle explain --help)');
  const asOf = asOfOption(values['as-of']);
  const format = formatOption(values.format);
  const window = wholeDaysOption('--warning-window', values['warning-window'], 90);
  const catalog = loadCliCatalog(values, io);
  const e = explain(positionals, catalog, asOf, window);
  io.stdout(format === 'json' ? `${JSON.stringify(e, null, 2)}\n` : explanationText(e));
  return 0;
}
