import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeText } from '../../server/src/analysis';
import { packagePinEdits } from '../../server/src/fixes/packagePin';
import { evaluateVersion } from '../../server/src/rules/frameworkVersion';
import { ruleContext } from '../../server/src/analysis';
import { fileKindById } from '../../server/src/scanners/fileKinds';
import { scanRequirements } from '../../server/src/scanners/requirements';
import { applyEdits } from '../../server/src/text';
import { options, syntheticCatalog } from '../fixtures/catalog';

const kind = fileKindById('pip-requirements')!;
const move = (line: string, target: string) => {
  const [ref] = scanRequirements(line, syntheticCatalog).references;
  const edits = packagePinEdits(ref.pin, target);
  return edits && applyEdits(line, edits);
};

describe('package pin edits keep the pin shape and touch only version text', () => {
  it('moves every supported specifier shape', () => {
    const cases: Array<[string, string | undefined]> = [
      ['torch==1.13.1', 'torch==2.3.1'],
      ['torch===1.13.1', 'torch===2.3.1'],
      ['torch==1.13.1+cpu', 'torch==2.3.1+cpu'],
      ['torch==1.13.*', 'torch==2.3.*'],
      ['torch==1.*', 'torch==2.3.*'],
      ['torch~=1.13.0', 'torch~=2.3.1'],
      ['torch>=1.13,<1.14', 'torch>=2.3,<2.4'],
      ['torch>=1.13.0,<1.14', 'torch>=2.3.1,<2.4'],
      ['torch>=1.13, <=1.13.1', 'torch>=2.3, <=2.3.1'],
      ['torch<1.14,!=1.13.0', 'torch<2.4,!=1.13.0'],
      ['torch>=1.13', undefined],
      ['torch', undefined],
    ];
    for (const [line, expected] of cases) assert.equal(move(line, '2.3.1'), expected, line);
  });

  it('keeps extras, markers, comments, hashes and spacing', () => {
    const line = '  Torch[cuda] == 1.13.1 ; python_version < "3.12"  --hash=sha256:ab  # keep\r\n';
    assert.equal(move(line, '2.3.1'), '  Torch[cuda] == 2.3.1 ; python_version < "3.12"  --hash=sha256:ab  # keep\r\n');
  });

  it('every fix, applied, re-scans to its target version and changes nothing outside the pin', () => {
    const pins = fc.constantFrom('==1.13.1', '==1.12.0', '===1.13.0', '==1.13.*', '~=1.12.0', '>=1.12,<1.13', '>=1.13.0,<1.14', '<=1.12.1', '==0.4.1', '==2.1.0', '==2.3.0', '==2.1.1+cu118', '>1.12,<1.13');
    const around = fc.constantFrom('', '[cuda]', ' ; python_version >= "3.8"', '  # comment', ' --hash=sha256:aa');
    const others = fc.array(fc.constantFrom('numpy==1.26.4', '# note', '', 'tensorflow==2.20.0', '-r base.txt'), { maxLength: 5 });
    fc.assert(
      fc.property(pins, around, others, others, fc.constantFrom('\n', '\r\n'), fc.integer({ min: 0, max: 200 }), (pin, extra, before, after, eol, window) => {
        const line = extra.startsWith('[') ? `torch${extra}${pin}` : `torch${pin}${extra}`;
        const text = [...before, line, ...after].join(eol);
        const o = options({ warningWindowDays: window });
        const analysis = analyzeText(text, 'requirements.txt', kind, syntheticCatalog, o);
        for (const f of analysis.findings) {
          for (const fix of f.fixes) {
            const fixed = applyEdits(text, fix.edits);
            const lines = fixed.split(eol);
            assert.deepEqual(lines.slice(0, before.length), before, 'lines before changed');
            assert.deepEqual(lines.slice(before.length + 1), after, 'lines after changed');
            const rescanned = scanRequirements(fixed, syntheticCatalog).references.find((r) => r.subject === 'pytorch')!;
            const ev = evaluateVersion(rescanned, ruleContext(syntheticCatalog, o))!;
            assert.equal(ev.resolved, fix.targetVersion, `${line} → ${fix.title}`);
            // idempotent: applying the same fix to the fixed text's reference gives the same text
            const again = packagePinEdits(rescanned.pin, fix.targetVersion!);
            assert.equal(applyEdits(fixed, again!), fixed);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never proposes a target that is not supported at asOf', () => {
    const ctx = ruleContext(syntheticCatalog, options());
    const supported = new Set(syntheticCatalog.supportedVersions('pytorch', ctx.asOf).flatMap((v) => v.patches.map((p) => p.version)));
    for (const line of ['torch==1.12.0', 'torch==1.13.1', 'torch==0.4.1', 'torch==2.1.0', 'torch==2.2.0']) {
      for (const f of analyzeText(line, 'requirements.txt', kind, syntheticCatalog, options({ warningWindowDays: 30 })).findings) {
        for (const fix of f.fixes) assert.ok(supported.has(fix.targetVersion!), `${line}: ${fix.targetVersion}`);
      }
    }
  });
});
