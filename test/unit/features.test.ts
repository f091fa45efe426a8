import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodeActionKind, DiagnosticSeverity } from 'vscode-languageserver';
import { analyzeText } from '../../server/src/analysis';
import { computeCodeActions, FIX_ALL_KIND } from '../../server/src/features/codeActions';
import { toDiagnostic } from '../../server/src/features/diagnostics';
import { computeHover } from '../../server/src/features/hover';
import { fileKindById } from '../../server/src/scanners/fileKinds';
import { initParsers } from '../../server/src/scanners/treeSitter';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import { applyEdits } from '../../server/src/text';
import { options, syntheticCatalog } from '../fixtures/catalog';

const kind = fileKindById('pip-requirements')!;
const text = 'torch==1.13.1  # old\ntensorflow==2.4.1 --hash=sha256:ab\nnumpy==1.26\ntorch==2.3.0\n';
const analysis = analyzeText(text, 'requirements.txt', kind, syntheticCatalog, options());
const uri = 'file:///w/requirements.txt';

describe('LSP features', () => {
  it('diagnostics carry the rule id, its docs link, the source and the severity', () => {
    const d = toDiagnostic(analysis.findings[0]);
    assert.equal(d.code, 'end-of-patch');
    assert.equal(d.source, 'dl-lifecycle');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.match(d.codeDescription!.href, /docs\/rules\/end-of-patch\.md$/);
  });

  it('hover on the name or the version shows the framework version, dates, basis, latest patch, targets and catalog date', () => {
    for (const character of [0, 3, 5, 9, 13]) {
      const h = computeHover(analysis, { line: 0, character });
      assert.ok(h, `hover at ${character}`);
      const md = (h.contents as { value: string }).value;
      assert.match(md, /\*\*PyTorch 1\.13\*\*/);
      assert.match(md, /\| GA \| 2022-10-28/);
      assert.match(md, /\| End of patch \| 2024-10-28 \(413 days ago\) <br\/>\*published in the Test support table\*/);
      assert.match(md, /\| Latest patch \| 1\.13\.1 \(released 2023-01-10\)/);
      assert.match(md, /\| Supported targets \| 2\.1 \(until 2026-01-01\), 2\.2 \(until 2026-03-01\), 2\.3 \(until 2026-06-01\)/);
      assert.match(md, /catalog dated 2025-12-01/);
    }
    assert.equal(computeHover(analysis, { line: 0, character: 16 }), null, 'not on the comment');
    // the facts behind hovers and findings are memoised and shared: rendering must not change them
    const first = (computeHover(analysis, { line: 0, character: 2 })!.contents as { value: string }).value;
    const again = (computeHover(analysis, { line: 0, character: 2 })!.contents as { value: string }).value;
    assert.equal(again, first);
    assert.equal(first.match(/Supported targets/g)!.length, 1);
    assert.ok(!analysis.findings[0].facts.some((f) => f.label === 'Supported targets'), 'a hover added to the finding\'s facts');
    assert.equal(computeHover(analysis, { line: 2, character: 2 }), null, 'not on numpy');
  });

  it('hover on a SageMaker SDK call answers on the call, its version arguments and the constant they come from', async () => {
    await initParsers(['python']);
    const py = 'from sagemaker.pytorch import PyTorch\nFRAMEWORK_VERSION = "1.13.1"\nest = PyTorch(entry_point="t.py", framework_version=FRAMEWORK_VERSION, py_version="py39")\n';
    const a = analyzeText(py, 'train.py', fileKindById('python')!, loadBundledCatalog(), { asOf: '2026-11-21' });
    const at = (line: number, character: number) => computeHover(a, { line, character });
    const call = at(2, 8);
    assert.ok(call, 'on the call');
    assert.match((call.contents as { value: string }).value, /PyTorch 1\.13/);
    for (const [line, character] of [[1, 3], [1, 23], [2, 85]] as const) {
      const h = at(line, character);
      assert.ok(h, `hover at ${line}:${character}`);
      assert.equal((h.contents as { value: string }).value, (call.contents as { value: string }).value);
      assert.ok(h.range && h.range.start.line === line && h.range.start.character <= character && character <= h.range.end.character, JSON.stringify(h.range));
    }
    assert.equal(at(2, 20), null, 'not on entry_point');
  });

  it('quick fixes: bumps and an ignore comment, for the range asked', () => {
    const actions = computeCodeActions(analysis, text, uri, { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } });
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]), [
      ['Bump torch to 2.3.1 (nearest supported PyTorch version)', CodeActionKind.QuickFix, true],
      ['Ignore end-of-patch for this line (dl-lifecycle: ignore)', CodeActionKind.QuickFix, false],
    ]);
    assert.equal(applyEdits(text, actions[0].edit!.changes![uri]), text.replace('torch==1.13.1', 'torch==2.3.1'));
  });

  it('source.fixAll applies the safe fixes only: not the --hash line', () => {
    const [fixAll] = computeCodeActions(analysis, text, uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [CodeActionKind.SourceFixAll]);
    assert.equal(fixAll.kind, FIX_ALL_KIND);
    assert.equal(applyEdits(text, fixAll.edit!.changes![uri]), 'torch==2.3.1  # old\ntensorflow==2.4.1 --hash=sha256:ab\nnumpy==1.26\ntorch==2.3.1\n');
    assert.deepEqual(computeCodeActions(analysis, text, uri, { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, [CodeActionKind.QuickFix]), []);
  });
});
