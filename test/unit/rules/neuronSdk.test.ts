/**
 * The Neuron SDK rules (rules.md §Neuron SDK rules) on the bundled catalog: version → release
 * mapping for every row of a sample of releases, `neuron-end-of-support` and
 * `neuron-end-of-support-announced` before and after real announcements, `neuron-sdk-outdated`
 * around the 12-month boundary, `neuron-mixed-releases` both ways, Neuron DLC tags, and the hover.
 * Dates come from the catalog's own announcements and releases, not from the test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeText, ruleContext } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { NeuronAnnouncement } from '../../../server/src/catalog/neuron';
import { compareSdkVersions, frameworkPartOf } from '../../../server/src/catalog/neuron';
import { addDays } from '../../../server/src/dates';
import type { Finding, PackagePinReference, Range } from '../../../server/src/model';
import { describeReference } from '../../../server/src/rules/describe';
import { NEURON_DEPENDENCY_CLAUSE, NEURON_SDK_CLAUSE } from '../../../server/src/rules/messages';
import { acceptedVersions, evaluateNeuronPin } from '../../../server/src/rules/neuronSdk';
import { fileKindById } from '../../../server/src/scanners/fileKinds';
import { applyEdits, TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const neuron = catalog.neuron!;
const AS_OF = '2026-11-21';
const requirements = fileKindById('pip-requirements')!;
const dockerfile = fileKindById('dockerfile')!;
const analyze = (text: string, asOf = AS_OF, kind = requirements, file = 'requirements.txt') => analyzeText(text, file, kind, catalog, { asOf });
const ofRule = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);
const neuronRules = (findings: Finding[]) => findings.filter((f) => f.rule.startsWith('neuron-')).map((f) => f.rule).sort();
const slice = (text: string, r: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};
const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** A Neuron pin built by hand (ranges do not matter for evaluation). */
function pin(name: string, clauses: Array<[string, string]>, manager?: 'apt' | 'conda'): PackagePinReference {
  return {
    kind: 'framework-package-pin',
    subject: 'neuron',
    version: clauses.length === 1 && clauses[0][0] === '==' ? clauses[0][1] : clauses.map(([o, v]) => `${o}${v}`).join(','),
    text: name,
    range: ZERO,
    pin: { name, normalizedName: name, nameRange: ZERO, specifier: clauses.map(([o, v]) => `${o}${v}`).join(','), clauses: clauses.map(([operator, version]) => ({ operator, version, versionRange: ZERO })), hasHashes: false, constraint: false, manager },
  };
}
const ctx = ruleContext(catalog, { asOf: AS_OF });

function announcement(id: string): NeuronAnnouncement {
  const a = neuron.announcements().find((x) => x.id === id);
  assert.ok(a, `the catalog has announcement ${id}`);
  return a;
}
/** The day an announcement's end takes effect (the first release without support). */
function endDay(id: string): string {
  const d = neuron.supportEnd(announcement(id)).date;
  assert.ok(d, `${id} has an end day`);
  return d;
}
/** The version of a package a release ships (the first listed). */
function shipped(release: string, pkg: string): string {
  const v = neuron.release(release)?.packages[pkg]?.[0];
  assert.ok(v, `${release} ships ${pkg}`);
  return v;
}

describe('version → SDK release', () => {
  it('every package version of a sample of releases maps back to that release (and framework builds to their framework part)', () => {
    const sample = ['1.15.0', '2.5.0', '2.12.0', '2.18.0', '2.21.0', '2.28.0', '2.31.1'];
    let rows = 0;
    for (const version of sample) {
      const release = neuron.release(version)!;
      for (const [pkg, versions] of Object.entries(release.packages)) {
        const apt = neuron.package(pkg)?.type === 'os';
        for (const v of versions) {
          const ev = evaluateNeuronPin(pin(pkg, [['==', v]], apt ? 'apt' : undefined), ctx);
          assert.ok(ev, `${pkg} is a Neuron package`);
          assert.ok(ev.releases.includes(release), `${pkg}==${v} maps to ${version} (got ${ev.releases.map((r) => r.version).join(', ')})`);
          assert.equal(ev.release, ev.releases[ev.releases.length - 1], 'judged at the newest release');
          assert.deepEqual(ev.framework, frameworkPartOf(pkg, v));
          rows++;
        }
      }
    }
    assert.ok(rows > 150, `${rows} rows checked`);
  });

  it('a wildcard or range resolves to the releases it allows, judged at the newest and the highest version', () => {
    const wildcard = evaluateNeuronPin(pin('neuronx-cc', [['==', '2.*']]), ctx)!;
    const withCc = neuron.releases().filter((r) => (r.packages['neuronx-cc'] ?? []).some((v) => v.startsWith('2.')));
    assert.deepEqual(wildcard.releases.map((r) => r.version), withCc.map((r) => r.version));
    assert.equal(wildcard.version, neuron.packageVersions('neuronx-cc').filter((v) => v.startsWith('2.')).at(-1));
    const range = evaluateNeuronPin(pin('torch-neuronx', [['>=', '2.1'], ['<', '2.2']]), ctx)!;
    assert.ok(range.releases.length > 1);
    assert.ok(range.releases.every((r) => r.packages['torch-neuronx'].some((v) => v.startsWith('2.1.'))));
    assert.equal(range.framework?.version.slice(0, 4), '2.1.');
    assert.equal(range.release, range.releases.at(-1));
  });

  it('apt versions: the Debian revision is ignored, globs match', () => {
    const v = shipped('2.18.0', 'aws-neuronx-runtime-lib');
    const withRevision = evaluateNeuronPin(pin('aws-neuronx-runtime-lib', [['==', `${v}-1b3ca6425`]], 'apt'), ctx)!;
    assert.ok(withRevision.releases.some((r) => r.version === '2.18.0'));
    assert.deepEqual(acceptedVersions(pin('aws-neuronx-runtime-lib', [['==', `${v}-*`]], 'apt').pin, [v, '9.9.9.9']), [v]);
    assert.deepEqual(acceptedVersions(pin('aws-neuronx-tools', [['==', '2.*']], 'apt').pin, ['2.17.1.0', '3.0.0.0']), ['2.17.1.0']);
  });

  it('a version newer than the catalog gets unknown-version; one no release shipped, or an unknown package, gets nothing', () => {
    const newer = analyze('neuronx-cc==99.1.0.0\n').findings;
    assert.deepEqual(newer.map((f) => f.rule), ['unknown-version']);
    assert.match(newer[0].message, /does not know neuronx-cc 99\.1\.0\.0/);
    const known = neuron.packageVersions('neuronx-cc');
    assert.ok(!known.includes('2.13.1.0'));
    assert.deepEqual(analyze('neuronx-cc==2.13.1.0\n').findings, []);
    assert.equal(evaluateNeuronPin(pin('not-a-neuron-package', [['==', '1.0']]), ctx), undefined);
  });
});

describe('neuron-end-of-support and neuron-end-of-support-announced, before and after announcements', () => {
  const text = `torch-neuronx==${neuron.release('2.20.0')!.packages['torch-neuronx'].find((v) => v.startsWith('2.1.'))}\n`;
  const notice = announcement('announce-eos-pytorch-2-1');
  const end = endDay('announce-eos-pytorch-2-1');

  it('PyTorch 2.1 (a framework part): nothing before the announcement, announced until the end, ended from its day on', () => {
    assert.deepEqual(neuronRules(analyze(text, addDays(notice.announced, -1)).findings), []);
    for (const day of [notice.announced, addDays(end, -1)]) {
      const [f, ...rest] = ofRule(analyze(text, day).findings, 'neuron-end-of-support-announced');
      assert.ok(f && rest.length === 0, `one announced finding on ${day}`);
      assert.deepEqual(ofRule(analyze(text, day).findings, 'neuron-end-of-support'), []);
      assert.match(f.message, /PyTorch 2\.1/);
      assert.ok(f.message.includes(`announced on ${notice.announced}`));
      assert.ok(f.message.includes(`Neuron ${neuron.supportEnd(notice).release!.version} (${end}`));
      assert.ok(f.message.includes(NEURON_DEPENDENCY_CLAUSE));
      assert.equal(f.severity, 'information');
      assert.equal(f.since, undefined);
    }
    const findings = analyze(text, end).findings;
    const [f] = ofRule(findings, 'neuron-end-of-support');
    assert.ok(f, 'ended on the day of the first release without support');
    assert.equal(f.severity, 'warning');
    assert.equal(f.since, end);
    assert.equal(f.subject, 'neuron');
    assert.match(f.message, new RegExp(`no longer supports PyTorch 2\\.1 .*from Neuron 2\\.22\\.0 \\(${end}, today\\); announced ${notice.announced}`));
    assert.ok(f.facts.some((x) => x.label === `Announcement ${notice.announced}` && x.source?.includes(notice.path)), 'the announcement and its source are facts');
    assert.deepEqual(ofRule(findings, 'neuron-end-of-support-announced'), [], 'what has ended is not also announced');
  });

  it("a Neuron package's own end cites the SDK life-cycle clause", () => {
    const a = announcement('announce-eos-tensorboard-tools');
    const out = neuron.latest(a.announced)!; // the release out on the announcement day
    const t = `tensorboard-plugin-neuronx==${shipped(out.version, 'tensorboard-plugin-neuronx')}\n`;
    const before = ofRule(analyze(t, a.announced).findings, 'neuron-end-of-support-announced');
    assert.equal(before.length, 1);
    assert.ok(before[0].message.includes(NEURON_SDK_CLAUSE));
    const after = ofRule(analyze(t, endDay(a.id)).findings, 'neuron-end-of-support');
    assert.equal(after.length, 1);
    assert.match(after[0].message, /no longer supports tensorboard-plugin-neuronx from Neuron 2\.28\.0/);
  });

  it('an announcement about an API or OS of a package is not an end of the package', () => {
    const latest = neuron.release('2.31.1')!.packages['torch-neuronx'].at(-1)!;
    const ends = neuron.announcementsForPackage('torch-neuronx', latest).filter((a) => a.kind === 'end-of-support' || a.kind === 'no-longer-supported');
    assert.ok(ends.some((a) => a.subjects.some((s) => 'feature' in s)), 'the catalog has such announcements for it');
    assert.deepEqual(ofRule(analyze(`torch-neuronx==${latest}\n`).findings, 'neuron-end-of-support'), []);
  });

  it('a version Neuron shipped after an announced end is judged by the later announcements about it', () => {
    const v = neuron.release('2.18.0')!.packages['torch-neuron'].find((x) => x.startsWith('1.9.'))!;
    const early = announcement('announce-eos-pytorch-1-9'); // "2.13 is the last release with torch-neuron 1.9"
    assert.ok(compareSdkVersions(neuron.supportEnd(early).release!.version, '2.18.0') < 0);
    const later = announcement('announce-no-support-torch-neuron-versions');
    const t = `torch-neuron==${v}\n`;
    assert.deepEqual(ofRule(analyze(t, addDays(later.announced, -1)).findings, 'neuron-end-of-support'), []);
    const [f] = ofRule(analyze(t, endDay(later.id)).findings, 'neuron-end-of-support');
    assert.ok(f);
    assert.equal(f.since, endDay(later.id));
    assert.match(f.message, /torch-neuron 1\.9/);
  });
});

describe('neuron-sdk-outdated', () => {
  it('fires the day after release + 365 days, counts from then, and not for the latest release', () => {
    const release = neuron.release('2.18.0')!;
    const t = `neuronx-cc==${shipped('2.18.0', 'neuronx-cc')}\n`;
    const limit = addDays(release.date!, 365);
    assert.deepEqual(ofRule(analyze(t, limit).findings, 'neuron-sdk-outdated'), []);
    const [f] = ofRule(analyze(t, addDays(limit, 1)).findings, 'neuron-sdk-outdated');
    assert.ok(f);
    assert.equal(f.severity, 'information');
    assert.equal(f.since, limit);
    assert.ok(f.message.includes(`Neuron SDK 2.18.0 was released on ${release.date} (366 days ago)`));
    assert.ok(f.message.includes(neuron.latest(addDays(limit, 1))!.version));
    const latest = neuron.latest(AS_OF)!;
    const cc = latest.packages['neuronx-cc'][0];
    assert.deepEqual(ofRule(analyze(`neuronx-cc==${cc}\n`, '2030-01-01').findings, 'neuron-sdk-outdated'), [], 'no newer release');
  });
});

describe('neuron-mixed-releases', () => {
  const cc18 = shipped('2.18.0', 'neuronx-cc');
  const xla18 = neuron.release('2.18.0')!.packages.libneuronxla.at(-1)!;
  const tnx22 = shipped('2.22.0', 'torch-neuronx');

  it('pins of different releases: the pins that do not allow the release most pins allow get one finding each', () => {
    const text = `neuronx-cc==${cc18}\ntorch-neuronx==${tnx22}\n`;
    const mixed = ofRule(analyze(text).findings, 'neuron-mixed-releases');
    assert.deepEqual(mixed.map((f) => slice(text, f.range)), [`neuronx-cc==${cc18}`], 'a tie goes to the newest release');
    assert.match(mixed[0].message, new RegExp(`belongs to Neuron SDK 2\\.18\\.0, but torch-neuronx==${tnx22.replace(/\./g, '\\.')} \\(line 2\\) belongs to Neuron SDK 2\\.22\\.0`));
    assert.equal(mixed[0].severity, 'warning');
    const majority = `neuronx-cc==${cc18}\nlibneuronxla==${xla18}\ntorch-neuronx==${tnx22}\n`;
    assert.deepEqual(ofRule(analyze(majority).findings, 'neuron-mixed-releases').map((f) => slice(majority, f.range)), [`torch-neuronx==${tnx22}`]);
  });

  it('pins of one release, or a wildcard that allows it, are not mixed', () => {
    const r = neuron.release('2.21.0')!;
    const text = `neuronx-cc==${r.packages['neuronx-cc'][0]}\ntorch-neuronx==${r.packages['torch-neuronx'].at(-1)}\nneuronx-distributed==${r.packages['neuronx-distributed'][0]}\nlibneuronxla==2.*\n`;
    assert.deepEqual(ofRule(analyze(text).findings, 'neuron-mixed-releases'), []);
  });

  it('a wildcard does not decide the reference release, and is not the pin named', () => {
    const text = ['FROM ubuntu:22.04', `RUN apt-get install -y aws-neuronx-tools=2.* aws-neuronx-runtime-lib=${shipped('2.18.0', 'aws-neuronx-runtime-lib')}-1b3ca6425 aws-neuronx-collectives=${shipped('2.18.0', 'aws-neuronx-collectives')}-c101c322e`, `RUN pip install neuronx-cc==${shipped('2.20.0', 'neuronx-cc')}`, ''].join('\n');
    const mixed = ofRule(analyze(text, AS_OF, dockerfile, 'Dockerfile').findings, 'neuron-mixed-releases');
    assert.deepEqual(mixed.map((f) => slice(text, f.range)), [`neuronx-cc==${shipped('2.20.0', 'neuronx-cc')}`]);
    assert.match(mixed[0].message, /but aws-neuronx-runtime-lib=\S+ \(line 2\) belongs to Neuron SDK 2\.18\.0/);
  });

  it('a framework build that disagrees with the framework pin, and one that agrees', () => {
    const bad = 'torch-neuronx==2.1.2.*\ntorch==1.13.1\n';
    const [f] = ofRule(analyze(bad).findings, 'neuron-mixed-releases');
    assert.ok(f);
    assert.equal(slice(bad, f.range), 'torch-neuronx==2.1.2.*');
    assert.match(f.message, /built for PyTorch 2\.1\.2, but torch==1\.13\.1 \(line 2\)/);
    assert.deepEqual(ofRule(analyze('torch-neuronx==2.1.2.*\ntorch==2.1.2\n').findings, 'neuron-mixed-releases'), []);
    assert.deepEqual(ofRule(analyze('torch-neuronx==2.1.2.*\ntorch>=2.1,<2.2\n').findings, 'neuron-mixed-releases'), []);
  });

  it('one Neuron finding of each pin carries the align fix (mixed releases first, then end of support); it is never safe', () => {
    const text = `neuronx-cc==${cc18}\ntorch-neuronx==${tnx22}\n`;
    const findings = analyze(text).findings.filter((f) => f.rule.startsWith('neuron-'));
    assert.ok(findings.length >= 4);
    const carriers = findings.filter((f) => f.fixes.length > 0);
    assert.deepEqual(carriers.map((f) => [f.range.start.line, f.rule]), [[0, 'neuron-mixed-releases'], [1, 'neuron-end-of-support']]);
    for (const f of carriers) {
      assert.equal(f.fixes.length, 1, f.rule);
      assert.match(f.fixes[0].title, /^Align Neuron packages to SDK \d+\.\d+\.\d+/);
      assert.equal(f.fixes[0].safe, false);
    }
    assert.deepEqual(carriers[0].fixes[0].edits, carriers[1].fixes[0].edits, 'the same fix for the whole file');
    const mixedOff = analyzeText(text, 'requirements.txt', requirements, catalog, { asOf: AS_OF, severities: { 'neuron-mixed-releases': 'off' } }).findings;
    const line0 = mixedOff.filter((f) => f.range.start.line === 0 && f.fixes.length > 0);
    assert.deepEqual(line0.map((f) => f.rule), ['neuron-sdk-outdated'], 'with mixed releases off, the next finding of the pin carries it');
  });
});

describe('Neuron DLC tags (sdkX.Y.Z)', () => {
  const uri = '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference-neuronx:1.13.1-neuronx-py310-sdk2.15.0-ubuntu20.04';
  const text = `FROM ${uri}\n`;
  const run = (asOf: string) => analyze(text, asOf, dockerfile, 'Dockerfile').findings;
  const pt113 = announcement('announce-eos-pytorch-1-1-3');

  it('before the PyTorch 1.13 and Ubuntu 20.04 notices: nothing; outdated once 12 months old', () => {
    const release = neuron.release('2.15.0')!;
    assert.deepEqual(neuronRules(run(addDays(release.date!, 365))), []);
    assert.deepEqual(neuronRules(run(addDays(release.date!, 366))), ['neuron-sdk-outdated']);
  });

  it('announced, then ended, naming each dependency; no align fix', () => {
    const announced = ofRule(run(pt113.announced), 'neuron-end-of-support-announced');
    assert.equal(announced.length, 1);
    assert.match(announced[0].message, /^This Neuron DLC \(Neuron SDK 2\.15\.0\): Neuron announced on .* PyTorch 1\.13 .* Also announced: Ubuntu 20\.04/);
    const ended = ofRule(run(AS_OF), 'neuron-end-of-support');
    assert.equal(ended.length, 1);
    assert.equal(ended[0].since, endDay(pt113.id));
    assert.match(ended[0].message, /PyTorch 1\.13/);
    assert.match(ended[0].message, /Also ended: .*Ubuntu 20\.04.*Python 3\.10/);
    assert.ok(ended[0].message.includes(NEURON_DEPENDENCY_CLAUSE));
    assert.deepEqual(run(AS_OF).filter((f) => f.rule.startsWith('neuron-')).flatMap((f) => f.fixes), []);
  });

  it('a recent tag whose dependencies are supported gets no Neuron finding', () => {
    const recent = `FROM 763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference-neuronx:2.9.0-neuronx-py312-sdk2.31.1-ubuntu24.04\n`;
    assert.deepEqual(neuronRules(analyze(recent, AS_OF, dockerfile, 'Dockerfile').findings), []);
  });
});

describe('hover on a Neuron pin', () => {
  const v = neuron.release('2.20.0')!.packages['torch-neuronx'].find((x) => x.startsWith('2.1.'))!;
  const describeAt = (asOf: string, text = `torch-neuronx==${v}\n`) => {
    const a = analyze(text, asOf);
    const ref = a.scan.references.find((r) => r.subject === 'neuron')!;
    return describeReference(ref, a.context)!;
  };

  it('names the release, its day, the other components and the framework part', () => {
    const d = describeAt('2024-10-01');
    assert.equal(d.title, `torch-neuronx ${v} · Neuron SDK 2.20.0`);
    assert.match(d.status!, /^Supported/);
    const release = neuron.release('2.20.0')!;
    assert.ok(d.facts.some((f) => f.label === 'Neuron 2.20.0 released' && f.value.startsWith(release.date!) && f.source));
    const components = d.facts.find((f) => f.label === 'Other components of Neuron 2.20.0')!;
    assert.ok(components.value.includes(`neuronx-cc ${release.packages['neuronx-cc'][0]}`));
    assert.ok(!components.value.includes('torch-neuronx '), 'not the package itself');
    assert.ok(d.facts.some((f) => f.label === 'Framework part' && f.value.startsWith('PyTorch 2.1.2')));
  });

  it('shows the support phase on asOf: announced, ended, outdated', () => {
    const notice = announcement('announce-eos-pytorch-2-1');
    const end = endDay(notice.id);
    assert.ok(describeAt(notice.announced).status!.startsWith(`End of support announced for ${end}`));
    assert.ok(describeAt(end).status!.startsWith(`⚠ End of support since ${end}`));
    assert.ok(describeAt(end).facts.some((f) => f.label === `Announcement ${notice.announced}`));
    const cc = shipped('2.18.0', 'neuronx-cc');
    assert.match(describeAt(AS_OF, `neuronx-cc==${cc}\n`).status!, /^Outdated: Neuron SDK 2\.18\.0/);
  });

  it('a range says what it resolves to; a version no release shipped says so', () => {
    assert.match(describeAt(AS_OF, 'torch-neuronx==2.1.2.*\n').status!, /^Resolves to 2\.1\.2\.\d/);
    assert.match(describeAt(AS_OF, 'neuronx-cc==2.13.1.0\n').status!, /No Neuron SDK release/);
  });
});

describe('Neuron rules on arbitrary pins (property)', () => {
  const names = fc.constantFrom('torch-neuronx', 'neuronx-cc', 'tensorflow-neuron', 'libneuronxla', 'neuronx-distributed', 'transformers-neuronx');
  const version = fc.oneof(fc.constantFrom(...neuron.packageVersions('torch-neuronx'), ...neuron.packageVersions('neuronx-cc')), fc.stringMatching(/^[0-9][0-9.*a-z+-]{0,14}$/));
  const op = fc.constantFrom('==', '>=', '<', '~=', '!=', '===', '<=', '>');
  const line = fc.tuple(names, fc.array(fc.tuple(op, version), { maxLength: 3 })).map(([n, cs]) => `${n}${cs.map(([o, v]) => `${o}${v}`).join(',')}`);
  const day = fc.integer({ min: 0, max: 2600 }).map((n) => addDays('2020-01-01', n));

  it('never throws; findings lie in the file and carry at most one align fix', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.constantFrom('torch==2.1.2', '# comment', 'numpy')), { maxLength: 6 }), day, (lines, asOf) => {
        const text = `${lines.join('\n')}\n`;
        const a = analyze(text, asOf);
        const last = text.split('\n').length - 1;
        for (const f of a.findings) {
          assert.ok(f.range.start.line <= last && f.range.end.line <= last);
          assert.ok(f.fixes.filter((x) => x.title.startsWith('Align')).length <= 1);
          for (const x of f.fixes) applyEdits(text, x.edits);
        }
        for (const r of a.scan.references) describeReference(r, a.context);
      }),
      { numRuns: 400 },
    );
  });
});

describe('Neuron DLAMIs', () => {
  const script = fileKindById('script')!;
  const rulesOf = (text: string, asOf: string) =>
    analyze(`aws ec2 describe-images --filters "Name=name,Values=${text}"\n`, asOf, script, 'find-ami.sh')
      .findings.filter((f) => f.rule.startsWith('neuron-'))
      .map((f) => f.rule);
  const name = 'Deep Learning AMI Neuron PyTorch 1.13 (Ubuntu 20.04) *';
  // the announcement that ends PyTorch 1.13 on Trn/Inf2, from the catalog
  const ending = neuron
    .announcementsFor({ framework: 'pytorch', version: '1.13', instances: ['trn1', 'trn2', 'inf2'] })
    .map((a) => ({ a, end: neuron.supportEnd(a) }))
    .find(({ a, end }) => a.kind !== 'maintenance' && a.kind !== 'deprecation' && end.release?.date !== undefined)!;

  it('judges the framework of a Neuron DLAMI name by the Neuron announcements, by their dates (no SDK release in the name)', () => {
    assert.ok(ending, 'the catalog has an end announcement for PyTorch 1.13');
    const effective = ending.end.release!.date!;
    assert.deepEqual(rulesOf(name, addDays(ending.a.announced, -1)), [], 'before the announcement');
    if (addDays(ending.a.announced, 1) < effective) assert.deepEqual(rulesOf(name, addDays(ending.a.announced, 1)), ['neuron-end-of-support-announced'], 'announced, not yet in effect');
    assert.deepEqual(rulesOf(name, AS_OF), ['neuron-end-of-support']);
    const f = analyze(`aws ec2 describe-images --filters "Name=name,Values=${name}"\n`, AS_OF, script, 'find-ami.sh').findings.find((x) => x.rule === 'neuron-end-of-support')!;
    assert.match(f.message, /^This Neuron DLAMI \(Deep Learning AMI Neuron PyTorch\) is past end of support: .*PyTorch 1\.13/);
    assert.equal(f.since, effective);
  });

  it('gives no Neuron finding to a DLAMI family that is not a Neuron one', () => {
    assert.deepEqual(rulesOf('Deep Learning OSS Nvidia Driver AMI GPU PyTorch 1.13 (Ubuntu 20.04) *', AS_OF), []);
  });
});
