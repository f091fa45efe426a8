import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText } from '../../server/src/analysis';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import { parsePolicy } from '../../server/src/policy/policyFile';
import { mergeLayers, policyLayer } from '../../server/src/policy/precedence';
import { fileKindById } from '../../server/src/scanners/fileKinds';

const POLICY = `[[images]]
pattern = "123456789012.dkr.ecr.*.amazonaws.com/ml-base:{framework_version}-gpu-{python}"
framework = "pytorch"
`;
const DOCKERFILE = 'FROM 123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml-base:1.13.1-gpu-py39\nRUN echo ok\n';

describe('internal images mapped by a policy file', () => {
  const catalog = loadBundledCatalog();
  const dockerfile = fileKindById('dockerfile')!;
  const { policy, problems } = parsePolicy(POLICY, '.dl-lifecycle.toml', 'dl-lifecycle-toml');

  it('are judged as the framework they contain, through the options the policy layer gives the analysis', () => {
    assert.deepEqual(problems, []);
    const options = mergeLayers([policyLayer(policy)], '2026-11-21', 90);
    assert.equal(options.imageMappings?.length, 1);
    const analysis = analyzeText(DOCKERFILE, 'Dockerfile', dockerfile, catalog, options);
    const ref = analysis.scan.references.find((r) => r.kind === 'container-image');
    assert.ok(ref && ref.kind === 'container-image', 'the internal image is a reference');
    assert.equal(ref.image.family, 'mapped');
    assert.equal(ref.subject, 'pytorch');
    assert.equal(ref.image.parts.frameworkVersion?.text, '1.13.1');
    const at = DOCKERFILE.indexOf('1.13.1');
    assert.deepEqual(ref.image.parts.frameworkVersion?.range, { start: { line: 0, character: at }, end: { line: 0, character: at + 6 } });
    assert.ok(analysis.findings.some((f) => f.rule === 'end-of-patch' && /PyTorch 1\.13/.test(f.message)), analysis.findings.map((f) => f.message).join('\n'));
  });

  it('are not references without the policy', () => {
    const analysis = analyzeText(DOCKERFILE, 'Dockerfile', dockerfile, catalog, { asOf: '2026-11-21' });
    assert.deepEqual(analysis.scan.references, []);
    assert.deepEqual(analysis.findings, []);
  });
});
