import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText, suppressionEdit } from '../../server/src/analysis';
import { fileKindById } from '../../server/src/scanners/fileKinds';
import { parseDirective } from '../../server/src/suppression';
import { applyEdits } from '../../server/src/text';
import { options, syntheticCatalog } from '../fixtures/catalog';

const kind = fileKindById('pip-requirements')!;
const findings = (text: string) => analyzeText(text, 'requirements.txt', kind, syntheticCatalog, options()).findings.map((f) => [f.rule, f.range.start.line]);
const comment = (text: string) => ({ text, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, standalone: true });

describe('suppression comments', () => {
  it('parses rule lists and reasons', () => {
    assert.deepEqual(parseDirective(comment(' dl-lifecycle: ignore')), { scope: 'line', rules: [], reason: undefined, comment: comment(' dl-lifecycle: ignore') });
    const d = parseDirective(comment(' dl-lifecycle: ignore superseded-patch, end-of-patch-soon -- vendor pins it'))!;
    assert.deepEqual([d.scope, d.rules, d.reason], ['line', ['superseded-patch', 'end-of-patch-soon'], 'vendor pins it']);
    assert.deepEqual(parseDirective(comment('dl-lifecycle:ignore-file end-of-patch'))!.rules, ['end-of-patch']);
    assert.equal(parseDirective(comment(' dl-lifecycle: ignored')), undefined);
    assert.equal(parseDirective(comment(' see dl-lifecycle: ignore')), undefined);
  });

  it('ignores the next statement, or the statement it ends', () => {
    assert.deepEqual(findings('# dl-lifecycle: ignore\ntorch==1.13.1\ntensorflow==2.4.1\n'), [['end-of-patch', 2]]);
    assert.deepEqual(findings('torch==1.13.1  # dl-lifecycle: ignore -- legacy model\ntensorflow==2.4.1\n'), [['end-of-patch', 1]]);
    // a suppression above a continued statement covers all its lines
    assert.deepEqual(findings('# dl-lifecycle: ignore\ntorch==1.13.1 \\\n  --hash=sha256:aa\ntensorflow==2.4.1\n'), [['end-of-patch', 3]]);
  });

  it('ignores only the listed rules', () => {
    assert.deepEqual(findings('mxnet==1.9.1  # dl-lifecycle: ignore discontinued\n'), [['end-of-patch', 0]]);
    assert.deepEqual(findings('mxnet==1.9.1  # dl-lifecycle: ignore discontinued,end-of-patch\n'), []);
  });

  it('ignore-file suppresses the whole file, with or without rules', () => {
    assert.deepEqual(findings('# dl-lifecycle: ignore-file\ntorch==1.13.1\nmxnet==1.9.1\n'), []);
    assert.deepEqual(findings('torch==1.13.1\nmxnet==1.9.1\n# dl-lifecycle: ignore-file discontinued\n'), [['end-of-patch', 0], ['end-of-patch', 1]]);
  });

  it('reports suppressions that suppress nothing, and unknown rule ids, as hints', () => {
    const a = analyzeText('torch==2.3.1  # dl-lifecycle: ignore\n# dl-lifecycle: ignore end-of-pach\ntorch==1.13.1\n', 'requirements.txt', kind, syntheticCatalog, options()).findings;
    assert.deepEqual(a.map((f) => [f.rule, f.severity, f.range.start.line]), [['unused-suppression', 'hint', 0], ['unused-suppression', 'hint', 1], ['end-of-patch', 'warning', 2]]);
    assert.match(a[1].message, /Unknown rule 'end-of-pach'/);
    const text = 'numpy==1\n# dl-lifecycle: ignore\ntorch==2.3.1\n';
    const [unused] = analyzeText(text, 'requirements.txt', kind, syntheticCatalog, options()).findings;
    assert.equal(applyEdits(text, unused.fixes[0].edits), 'numpy==1\ntorch==2.3.1\n');
  });

  it('a suppression for a rule that is turned off suppresses nothing and is reported', () => {
    const a = analyzeText('torch==1.13.1  # dl-lifecycle: ignore end-of-patch\n', 'requirements.txt', kind, syntheticCatalog, options({ severities: { 'end-of-patch': 'off' } })).findings;
    assert.deepEqual(a.map((f) => f.rule), ['unused-suppression']);
  });

  it('the inserted suppression comment suppresses the finding it was made for', () => {
    const text = 'numpy==1\n    torch==1.13.1\r\n';
    const edit = suppressionEdit(text, kind, 1, 'end-of-patch');
    const fixed = applyEdits(text, [edit]);
    assert.equal(fixed, 'numpy==1\n    # dl-lifecycle: ignore end-of-patch\r\n    torch==1.13.1\r\n');
    assert.deepEqual(findings(fixed), []);
  });
});
