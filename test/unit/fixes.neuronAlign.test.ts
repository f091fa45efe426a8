/**
 * The "Align Neuron packages to SDK X.Y.Z" fix: the edit shapes, the target release, and files
 * that after the fix re-scan to one release with every other line as it was (examples and a
 * property over generated requirements files).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeText } from '../../server/src/analysis';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import type { NeuronRelease } from '../../server/src/catalog/neuron';
import { frameworkPartOf } from '../../server/src/catalog/neuron';
import { addDays } from '../../server/src/dates';
import { neuronPinEdits } from '../../server/src/fixes/neuronAlign';
import type { Finding, Fix, PackagePin, PackagePinReference } from '../../server/src/model';
import { evaluateNeuronPin } from '../../server/src/rules/neuronSdk';
import { fileKindById } from '../../server/src/scanners/fileKinds';
import { applyEdits } from '../../server/src/text';

const catalog = loadBundledCatalog();
const neuron = catalog.neuron!;
const AS_OF = '2026-11-21';
const analyze = (text: string, asOf = AS_OF, kind = 'pip-requirements', file = 'requirements.txt') => analyzeText(text, file, fileKindById(kind)!, catalog, { asOf });
const alignFix = (findings: Finding[]): Fix | undefined => findings.flatMap((f) => f.fixes).find((f) => f.title.startsWith('Align Neuron packages'));
const neuronPins = (text: string, asOf = AS_OF, kind = 'pip-requirements', file = 'requirements.txt') =>
  analyze(text, asOf, kind, file).scan.references.filter((r): r is PackagePinReference => r.kind === 'framework-package-pin' && r.subject === 'neuron');
const targetOf = (fix: Fix): NeuronRelease => neuron.release(fix.targetVersion!)!;
/** The releases every Neuron pin of a text allows. */
function commonReleases(text: string, asOf = AS_OF, kind = 'pip-requirements', file = 'requirements.txt'): Set<string> {
  const a = analyze(text, asOf, kind, file);
  let common: Set<string> | undefined;
  for (const p of neuronPins(text, asOf, kind, file)) {
    const ev = evaluateNeuronPin(p, a.context)!;
    const mine = new Set(ev.releases.map((r) => r.version));
    common = common === undefined ? mine : new Set([...common].filter((v) => mine.has(v)));
  }
  return common ?? new Set();
}
const shipped = (release: string, pkg: string, prefix = ''): string => neuron.release(release)!.packages[pkg].filter((v) => v.startsWith(prefix)).at(-1)!;
const R = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const pinOf = (clauses: Array<[string, string]>, extra: Partial<PackagePin> = {}): PackagePin => ({
  name: 'torch-neuronx',
  normalizedName: 'torch-neuronx',
  nameRange: R,
  specifier: clauses.map(([o, v]) => `${o}${v}`).join(','),
  specifierRange: { start: { line: 0, character: 13 }, end: { line: 0, character: 40 } },
  clauses: clauses.map(([operator, version], i) => ({ operator, version, versionRange: { start: { line: 0, character: 20 + i }, end: { line: 0, character: 21 + i } } })),
  hasHashes: false,
  constraint: false,
  ...extra,
});

describe('neuronPinEdits: only version texts change, in the pin\'s shape', () => {
  it('exact pins, wildcards, ranges, apt versions, lock entries', () => {
    assert.deepEqual(neuronPinEdits(pinOf([['==', '2.1.2.2.3.0']]), '2.9.0.2.15.32035')!.map((e) => e.newText), ['2.9.0.2.15.32035']);
    assert.deepEqual(neuronPinEdits(pinOf([['===', '2.1.2.2.3.0']]), '2.9.0.2.15.32035')!.map((e) => e.newText), ['2.9.0.2.15.32035']);
    assert.deepEqual(neuronPinEdits(pinOf([['==', '2.1.2.*']]), '2.9.0.2.15.32035')!.map((e) => e.newText), ['2.9.0.*']);
    assert.deepEqual(neuronPinEdits(pinOf([['==', '2.*']]), '3.1.0.0')!.map((e) => e.newText), ['3.*']);
    const range = neuronPinEdits(pinOf([['>=', '2.1'], ['<', '2.2']]), '2.9.0.2.15.32035')!;
    assert.deepEqual(range.map((e) => [e.newText, e.range.start.character]), [['==2.9.0.2.15.32035', 13]], 'the whole specifier');
    assert.deepEqual(neuronPinEdits(pinOf([['==', '2.20.22.0-1b3ca6425']], { manager: 'apt' }), '2.33.10.0')!.map((e) => e.newText), ['2.33.10.0-*']);
    assert.deepEqual(neuronPinEdits(pinOf([['==', '2.20.22.0']], { manager: 'apt' }), '2.33.10.0')!.map((e) => e.newText), ['2.33.10.0']);
    assert.equal(neuronPinEdits(pinOf([['==', '2.1.2.2.3.0']], { locked: true }), '2.9.0.2.15.32035'), undefined);
    assert.equal(neuronPinEdits(pinOf([]), '2.9.0.2.15.32035'), undefined);
  });
});

describe('the align fix on files', () => {
  const cc18 = shipped('2.18.0', 'neuronx-cc');
  const tnx22 = shipped('2.22.0', 'torch-neuronx');
  const text = [
    '# Trainium fine-tuning',
    `neuronx-cc==${cc18}  # compiler`,
    `torch-neuronx==${tnx22}`,
    `libneuronxla==${shipped('2.18.0', 'libneuronxla', '2.')}`,
    'transformers==4.36.2',
    `torch==${frameworkPartOf('torch-neuronx', tnx22)!.version}`,
    'numpy>=1.21,<2',
    '',
  ].join('\n');

  it('edits every Neuron line and the torch pin, nothing else; the result re-scans to one release', () => {
    const findings = analyze(text).findings;
    assert.ok(findings.some((f) => f.rule === 'neuron-mixed-releases'));
    const fix = alignFix(findings)!;
    assert.ok(fix, 'an align fix');
    const target = targetOf(fix);
    assert.ok(target, `${fix.targetVersion} is a release`);
    assert.equal(fix.title, `Align Neuron packages to SDK ${target.version}`);
    assert.equal(fix.safe, false);
    const fixed = applyEdits(text, fix.edits);
    const before = text.split('\n');
    const after = fixed.split('\n');
    assert.equal(after.length, before.length);
    const changed = before.map((l, i) => (l === after[i] ? -1 : i)).filter((i) => i >= 0);
    assert.deepEqual(changed, [1, 2, 3, 5], 'the Neuron lines and the torch line');
    assert.equal(after[1], `neuronx-cc==${target.packages['neuronx-cc'].at(-1)}  # compiler`, 'the comment stays');
    const tnx = /^torch-neuronx==(\S+)$/.exec(after[2])![1];
    assert.ok(target.packages['torch-neuronx'].includes(tnx));
    assert.equal(after[5], `torch==${frameworkPartOf('torch-neuronx', tnx)!.version}`);
    assert.ok(commonReleases(fixed).has(target.version), 'every Neuron pin allows the target release');
    const again = analyze(fixed).findings;
    assert.deepEqual(again.filter((f) => f.rule === 'neuron-mixed-releases' || f.rule === 'neuron-end-of-support'), []);
  });

  it('keeps the release of the newest pin when it is supported on asOf, and moves on when it is not', () => {
    const r = neuron.release('2.21.0')!;
    const t = `torch-neuronx==${shipped('2.21.0', 'torch-neuronx', '2.5.')}\nneuronx-cc==${shipped('2.20.0', 'neuronx-cc')}\n`;
    const early = alignFix(analyze(t, addDays(r.date!, 10)).findings)!;
    assert.equal(early.targetVersion, '2.21.0');
    assert.equal(early.edits.length, 1, 'only neuronx-cc moves');
    assert.equal(early.edits[0].newText, r.packages['neuronx-cc'].at(-1));
    const late = alignFix(analyze(t).findings)!;
    assert.notEqual(late.targetVersion, '2.21.0', '2.21.0 is past its 12 months on 2026-11-21');
    assert.ok(targetOf(late).packages['torch-neuronx'] && targetOf(late).packages['neuronx-cc']);
  });

  it('a Dockerfile: apt pins keep a revision glob, a wildcard that allows the target stays', () => {
    const d = [
      'FROM ubuntu:22.04',
      `RUN apt-get install -y aws-neuronx-tools=2.* aws-neuronx-runtime-lib=${shipped('2.18.0', 'aws-neuronx-runtime-lib', '2.')}-1b3ca6425 \\`,
      `    aws-neuronx-collectives=${shipped('2.20.0', 'aws-neuronx-collectives', '2.')}-c101c322e`,
      '',
    ].join('\n');
    const fix = alignFix(analyze(d, AS_OF, 'dockerfile', 'Dockerfile').findings)!;
    assert.ok(fix);
    const fixed = applyEdits(d, fix.edits);
    const target = targetOf(fix);
    assert.ok(fixed.includes('aws-neuronx-tools=2.* '), 'the glob stays');
    assert.ok(fixed.includes(`aws-neuronx-runtime-lib=${target.packages['aws-neuronx-runtime-lib'].at(-1)}-* \\`));
    assert.ok(fixed.includes(`aws-neuronx-collectives=${target.packages['aws-neuronx-collectives'].at(-1)}-*\n`));
    assert.ok(commonReleases(fixed, AS_OF, 'dockerfile', 'Dockerfile').has(target.version));
  });

  it('a conda Neuron pin is left and named; pins of the pip sub-list are edited', () => {
    const env = ['channels: [conda-forge]', 'dependencies:', '  - torch-neuron=1.13.1.2.9.74.0', '  - pip:', `    - neuronx-cc==${cc18}`, `    - torch-neuronx==${tnx22}`, ''].join('\n');
    const fix = alignFix(analyze(env, AS_OF, 'conda-environment', 'environment.yml').findings)!;
    assert.ok(fix);
    assert.match(fix.title, /leaves torch-neuron: installed from conda/);
    const fixed = applyEdits(env, fix.edits);
    assert.ok(fixed.includes('  - torch-neuron=1.13.1.2.9.74.0\n'));
    assert.ok(!fixed.includes(cc18) && !fixed.includes(tnx22));
  });

  it('a line with --hash options: the title says to regenerate the hashes', () => {
    const t = `neuronx-cc==${cc18} --hash=sha256:${'a'.repeat(64)}\ntorch-neuronx==${tnx22}\n`;
    const fix = alignFix(analyze(t).findings)!;
    assert.match(fix.title, /; regenerate the --hash values$/);
    assert.ok(applyEdits(t, fix.edits).includes(`--hash=sha256:${'a'.repeat(64)}`));
  });

  it('no fix when the file is aligned to a supported release', () => {
    const latest = neuron.latest(AS_OF)!;
    const t = `neuronx-cc==${latest.packages['neuronx-cc'].at(-1)}\n`;
    assert.equal(alignFix(analyze(t).findings), undefined);
    assert.deepEqual(analyze(t).findings.filter((f) => f.rule.startsWith('neuron-')), []);
  });
});

describe('the align fix (property)', () => {
  const PACKAGES = ['neuronx-cc', 'torch-neuronx', 'libneuronxla', 'neuronx-distributed', 'transformers-neuronx'];
  const RELEASES = neuron.releases().filter((r) => r.line === 'neuron2' && r.date && r.date >= '2023-06-01' && PACKAGES.some((p) => r.packages[p]));
  const OTHER = ['numpy==1.26.4', '# pinned for the cluster', 'transformers==4.36.2', '', 'accelerate>=0.25'];
  const neuronLine = fc
    .record({ release: fc.constantFrom(...RELEASES), pkg: fc.constantFrom(...PACKAGES), shape: fc.constantFrom('exact', 'wildcard', 'range'), i: fc.nat() })
    .filter(({ release, pkg }) => release.packages[pkg] !== undefined)
    .map(({ release, pkg, shape, i }) => {
      const versions = release.packages[pkg];
      const v = versions[i % versions.length];
      const parts = v.split('.');
      if (shape === 'wildcard') return `${pkg}==${parts.slice(0, 3).join('.')}.*`;
      if (shape === 'range') return `${pkg}>=${parts.slice(0, 2).join('.')},<${Number(parts[0]) + 1}`;
      return `${pkg}==${v}`;
    });
  const file = fc.record({ neuronLines: fc.array(neuronLine, { minLength: 1, maxLength: 5 }), other: fc.array(fc.constantFrom(...OTHER), { maxLength: 4 }), torch: fc.boolean(), crlf: fc.boolean(), seed: fc.nat() }).map(({ neuronLines, other, torch, crlf, seed }) => {
    const lines = [...neuronLines];
    other.forEach((o, k) => lines.splice((seed + k) % (lines.length + 1), 0, o));
    if (torch) lines.push('torch==2.1.2');
    return lines.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
  });
  const day = fc.integer({ min: 0, max: 900 }).map((n) => addDays('2024-06-01', n));

  it('edits only Neuron and framework lines; every pin the fix does not leave allows the target, with no mixed releases left', () => {
    let fixedFiles = 0;
    fc.assert(
      fc.property(file, day, (text, asOf) => {
        const original = analyze(text, asOf);
        const fix = alignFix(original.findings);
        if (!fix) return;
        // pins that resolve to no release out on asOf are not the fix's
        const judged = new Set(neuronPins(text, asOf).filter((p) => evaluateNeuronPin(p, original.context)!.release).map((p) => p.range.start.line));
        fixedFiles++;
        const fixed = applyEdits(text, fix.edits);
        const eol = text.includes('\r\n') ? '\r\n' : '\n';
        const before = text.split(eol);
        const after = fixed.split(eol);
        assert.equal(after.length, before.length);
        before.forEach((line, i) => {
          if (line !== after[i]) assert.match(line, /^(neuronx-cc|torch-neuronx|libneuronxla|neuronx-distributed|transformers-neuronx|torch)[=><]/, `line ${i} changed: ${line} → ${after[i]}`);
        });
        const target = targetOf(fix);
        assert.ok(target && target.date! <= asOf, 'the target is out on asOf');
        const a = analyze(fixed, asOf);
        for (const p of neuronPins(fixed, asOf)) {
          if (fix.title.includes(`${p.pin.name}:`) || !judged.has(p.range.start.line)) continue; // left, and said so; or not judged
          assert.ok(evaluateNeuronPin(p, a.context)!.releases.includes(target), `${p.text} allows Neuron ${target.version}`);
        }
        if (!/\(leaves /.test(fix.title) && judged.size === neuronPins(text, asOf).length) assert.deepEqual(a.findings.filter((f) => f.rule === 'neuron-mixed-releases').map((f) => f.message), []);
      }),
      { numRuns: 300 },
    );
    assert.ok(fixedFiles > 50, `${fixedFiles} files had a fix`);
  });
});

describe('align target when a package has ended in every later release', () => {
  it('aligns to the latest release that ships the most of the file\'s packages, and names the one it leaves', () => {
    const text = 'torch==2.1.2\ntorch-neuronx==2.1.2.2.3.0\nneuronx-cc==2.13.66.0\ntransformers-neuronx==0.12.313\n';
    const fix = alignFix(analyze(text).findings)!;
    assert.ok(fix, 'an align fix is offered');
    const target = targetOf(fix);
    // transformers-neuronx shipped last before its end: no release out on AS_OF ships all four packages
    assert.equal(target.packages['transformers-neuronx'], undefined);
    assert.ok(target.packages['torch-neuronx'] && target.packages['neuronx-cc'], `${target.version} ships torch-neuronx and neuronx-cc`);
    const later = neuron.releases().filter((r) => r.date && r.date <= AS_OF && r.date > target.date! && r.packages['torch-neuronx'] && r.packages['neuronx-cc']);
    assert.deepEqual(later.map((r) => r.version), [], 'no later release ships both');
    assert.match(fix.title, /leaves transformers-neuronx/);
    const fixed = applyEdits(text, fix.edits).split('\n');
    assert.equal(fixed[3], 'transformers-neuronx==0.12.313', 'the package the target does not ship is left as written');
    assert.notEqual(fixed[1], 'torch-neuronx==2.1.2.2.3.0');
    assert.notEqual(fixed[2], 'neuronx-cc==2.13.66.0');
  });
});
