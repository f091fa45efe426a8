import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisOptions } from '../../../server/src/analysis';
import { analyzeText, ruleContext } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Finding } from '../../../server/src/model';
import { describeReference } from '../../../server/src/rules/describe';
import { checkDlami } from '../../../server/src/rules/dlami';
import { applyEdits } from '../../../server/src/text';
import { dlamiRef, findingHelpers, kindReturning } from '../../fixtures/imageRefs';

const catalog = loadBundledCatalog();
const AS_OF = '2026-11-21';
const check = (text: string, o: Partial<AnalysisOptions> = {}): Finding[] => checkDlami(dlamiRef(text, catalog), ruleContext(catalog, { asOf: AS_OF, ...o }));
const { rules, one } = findingHelpers(check);

describe('DLAMI rules (bundled catalog, asOf 2026-11-21)', () => {
  it('end-of-patch: an old PyTorch version in a DLAMI name, with the date and the clause, no fix', () => {
    const f = one('Deep Learning AMI GPU PyTorch 1.13.1 (Ubuntu 20.04) 20230315', 'end-of-patch');
    assert.equal(f.severity, 'warning');
    assert.equal(f.since, '2024-10-28');
    assert.match(f.message, /^PyTorch 1\.13 reached end of patch on 2024-10-28 \(754 days ago\); DLAMIs .*DLAMI §End of patch date \(Aging out\)/);
    assert.deepEqual(f.fixes, []);
  });

  it('end-of-patch boundaries for an SSM parameter: the day itself is end-of-patch-soon, the day after end-of-patch', () => {
    const ssm = '/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.9-ubuntu-22.04/latest/ami-id';
    assert.deepEqual(rules(ssm, { asOf: '2026-10-15' }), ['end-of-patch-soon']);
    assert.deepEqual(rules(ssm, { asOf: '2026-10-16' }), ['end-of-patch']);
    assert.deepEqual(rules(ssm, { asOf: '2026-07-01' }), []);
  });

  it('os-end-of-life: an Ubuntu 18.04 DLAMI, and the legacy Conda DLAMI is discontinued', () => {
    const name = 'Deep Learning AMI (Ubuntu 18.04) Version 60.*';
    assert.deepEqual(rules(name), ['discontinued', 'os-end-of-life']);
    const os = one(name, 'os-end-of-life');
    assert.equal(os.since, '2023-05-31');
    assert.match(os.message, /^Ubuntu 18\.04 LTS \(`Ubuntu 18\.04`\) reached end of standard support on 2023-05-31/);
    assert.match(one(name, 'discontinued').message, /Multi-framework Conda DLAMIs.*discontinued.*Move to a single-framework DLAMI \(e\.g\. Deep Learning OSS Nvidia Driver AMI GPU PyTorch\)/);
    assert.deepEqual(rules('Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.10 (Ubuntu 22.04) *', { asOf: '2026-07-01' }), []);
  });

  it('discontinued: the MXNet DLAMI family', () => {
    const f = one('Deep Learning AMI GPU MXNet 1.9.0 (Amazon Linux 2) 20220330', 'discontinued');
    assert.equal(f.since, '2023-09-01');
  });

  it('pinned-ami-build: a dated build, with a *-for-the-date fix that is not safe; filters and SSM paths are not pinned', () => {
    const name = 'Deep Learning AMI GPU PyTorch 2.10.0 (Ubuntu 22.04) 20260214';
    const f = one(name, 'pinned-ami-build');
    assert.equal(f.severity, 'information');
    assert.match(f.message, /pinned to the build of 2026-02-14.*DLAMI §Will my instance be patched in place/);
    assert.deepEqual(f.fixes.map((x) => x.safe), [false]);
    assert.equal(applyEdits(name, f.fixes[0].edits), 'Deep Learning AMI GPU PyTorch 2.10.0 (Ubuntu 22.04) *');
    assert.ok(!rules('Deep Learning AMI GPU PyTorch 2.10.0 (Ubuntu 22.04) *').includes('pinned-ami-build'));
    assert.ok(!rules('/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.10-ubuntu-22.04/latest/ami-id').includes('pinned-ami-build'));
  });

  it('unpinned: a filter with only * for the framework version is a hint by default', () => {
    const name = 'Deep Learning OSS Nvidia Driver AMI GPU PyTorch * (Ubuntu 22.04) *';
    assert.deepEqual(rules(name), ['unpinned']);
    const a = analyzeText(name, 'main.tf', kindReturning(dlamiRef(name, catalog)), catalog, { asOf: AS_OF });
    assert.deepEqual(a.findings.map((f) => [f.rule, f.severity]), [['unpinned', 'hint']]);
  });

  it('a Neuron DLAMI: the OS is judged, the framework version by the Neuron policy (not the DLAMI table)', () => {
    assert.deepEqual(rules('/aws/service/neuron/dlami/pytorch-1.13/ubuntu-20.04'), ['os-end-of-life', 'neuron-end-of-support']);
  });

  it('hover: family, framework version and OS lifecycle, supported versions', () => {
    const d = describeReference(dlamiRef('Deep Learning AMI GPU PyTorch 1.13.1 (Ubuntu 20.04) 20230315', catalog), ruleContext(catalog, { asOf: AS_OF }))!;
    assert.equal(d.title, 'PyTorch 1.13 DLAMI');
    assert.match(d.status!, /End of patch reached 754 days ago/);
    const label = (l: string) => d.facts.find((f) => f.label === l)?.value;
    assert.match(label('PyTorch 1.13 end of patch')!, /^2024-10-28/);
    assert.match(label('Ubuntu 20.04 LTS end of life')!, /^2025-05-31/);
    assert.equal(label('Build date'), '20230315');
    assert.match(label('Supported framework versions')!, /^2\.10 \(until 2027-01-21\)/);
  });
});
