/**
 * Fuzzing of every file kind: the whole analysis (scanner, rules, fixes) on random text, random
 * lines of real files, mutated real files (inserted, deleted, duplicated, swapped lines and
 * characters, cut at random points), invalid UTF-8, random bytes, NUL bytes, CRLF and lone CR line
 * ends and a BOM: `DL_LIFECYCLE_FUZZ_RUNS` texts per kind (200 by default, 10,000 in CI), one fix of
 * each text checked. Then a fixed small number of expensive texts per kind, whatever the volume:
 * two with a 1 MB line, and its languages' structures nested 1,000 to 2,000 levels deep (alone and
 * inside a real file). Last, the regressions of what the fuzzing found. Generators and properties:
 * test/fixtures/fuzz.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import { FILE_KINDS, fileKindForPath, fileKindById } from '../../server/src/scanners/fileKinds';
import { MAX_YAML_NESTING, yamlNestingBound } from '../../server/src/scanners/yamlDepth';
import { initParsers } from '../../server/src/scanners/treeSitter';
import { analyzeText } from '../../server/src/analysis';
import { applyEdits } from '../../server/src/text';
import type { FuzzStats } from '../fixtures/fuzz';
import { checkAnalysis, checkFix, deepNesting, deepNestingRecipes, emptyStats, FILLERS, fixtureSamples, fuzzCases, fuzzRuns, KIND_NESTINGS, KIND_PATHS, megabyteLine, megabyteLineRecipes, mutate, NESTINGS } from '../fixtures/fuzz';

const catalog = loadBundledCatalog();
const RUNS = fuzzRuns();
/**
 * The generators' seed: fixed, so that a run is reproducible and CI cannot turn red by chance;
 * `DL_LIFECYCLE_FUZZ_SEED` explores other seeds (a failure prints its seed and path).
 */
const SEED = Number(process.env.DL_LIFECYCLE_FUZZ_SEED ?? 20261121);
/** Kinds whose random-text property has a known, open failure (run as a todo: reported, not failing the suite); none now. */
const KNOWN_FAILURES: Partial<Record<string, string>> = {};
const samples = fixtureSamples();

describe('fuzz suite set-up', () => {
  it('knows a path of every file kind, and has real files (or seeds) of every kind to mutate', () => {
    for (const kind of FILE_KINDS) {
      assert.equal(fileKindForPath(KIND_PATHS[kind.id] ?? '')?.id, kind.id, `a path of the ${kind.id} kind in KIND_PATHS`);
      assert.ok((samples.get(kind.id) ?? []).length > 0, `fixtures or seeds of the ${kind.id} kind`);
    }
  });

  it('the expensive texts cover every 1 MB filler and every nesting shape', () => {
    assert.deepEqual(new Set(FILE_KINDS.flatMap((k) => megabyteLineRecipes(k).map((r) => r.filler))), new Set(FILLERS));
    assert.deepEqual(new Set(Object.values(KIND_NESTINGS).flat()), new Set(Object.keys(NESTINGS)));
    for (const k of FILE_KINDS) assert.ok(deepNestingRecipes(k).length >= 4, k.id);
  });

  it('reads the run count from DL_LIFECYCLE_FUZZ_RUNS, and refuses what is not a positive integer', () => {
    assert.equal(fuzzRuns({}), 200);
    assert.equal(fuzzRuns({ DL_LIFECYCLE_FUZZ_RUNS: '10000' }), 10000);
    assert.throws(() => fuzzRuns({ DL_LIFECYCLE_FUZZ_RUNS: '1e' }), /positive integer/);
    assert.throws(() => fuzzRuns({ DL_LIFECYCLE_FUZZ_RUNS: '0' }), /positive integer/);
  });

  it('mutations insert, delete, duplicate, swap and cut where they are told', () => {
    assert.equal(mutate('ab\ncd', [{ op: 'insert', at: 1, n: 0, s: 'X' }], []), 'aXb\ncd');
    assert.equal(mutate('ab\ncd', [{ op: 'delete', at: 1, n: 1, s: '' }], []), 'acd');
    assert.equal(mutate('ab\ncd', [{ op: 'duplicate-line', at: 1, n: 0, s: '' }], []), 'ab\ncd\ncd');
    assert.equal(mutate('ab\ncd', [{ op: 'swap-lines', at: 0, n: 1, s: '' }], []), 'cd\nab');
    assert.equal(mutate('ab\ncd', [{ op: 'cut', at: 4, n: 0, s: '' }], []), 'ab\nc');
    assert.equal(mutate('ab', [{ op: 'graft', at: 0, n: 1, s: '' }], ['x', 'y']), 'y\nab');
  });

  it('the fix checks pass a real fix and fail one that misses its target, edits outside its place or breaks the file', () => {
    const kind = FILE_KINDS.find((k) => k.id === 'pip-requirements')!;
    const text = 'torch==1.13.1  # the pin\n';
    const a = checkAnalysis(kind, 'requirements.txt', text, catalog);
    const fix = a.findings.flatMap((f) => f.fixes).find((x) => x.targetVersion);
    assert.ok(fix, 'torch 1.13.1 gets a version fix on the fuzz day');
    assert.equal(applyEdits(text, fix.edits), `torch==${fix.targetVersion}  # the pin\n`);
    checkFix(kind, 'requirements.txt', text, fix, catalog, undefined);
    assert.throws(() => checkFix(kind, 'requirements.txt', text, { ...fix, targetVersion: '9.9.9' }, catalog, undefined), /carries 9\.9\.9/);
    const comment = { start: { line: 0, character: 15 }, end: { line: 0, character: 24 } };
    assert.throws(() => checkFix(kind, 'requirements.txt', text, { ...fix, edits: [{ range: comment, newText: fix.targetVersion! }] }, catalog, undefined), /a reference is read again/);
    const outside = { start: { line: 0, character: 7 }, end: { line: 3, character: 0 } };
    assert.throws(() => checkFix(kind, 'requirements.txt', text, { ...fix, edits: [{ range: outside, newText: '2.0.0' }] }, catalog, undefined), /outside the document/);
    const json = FILE_KINDS.find((k) => k.id === 'infrastructure-json')!;
    const template = '{"Image": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker"}';
    const breaking = { title: 'breaks the JSON', edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, newText: '' }], safe: false };
    assert.throws(() => checkFix(json, 'template.json', template, breaking, catalog, true), /keeps the file parseable/);
  });
});

describe('fuzzing every file kind', () => {
  const totals = new Map<string, FuzzStats>();
  before(async () => {
    await initParsers();
  });

  for (const kind of FILE_KINDS) {
    describe(kind.id, () => {
      const stats = emptyStats();
      totals.set(kind.id, stats);

      const known = KNOWN_FAILURES[kind.id];
      it(`${RUNS} random, mutated, invalid UTF-8, NUL, CRLF, CR and BOM texts: no exception, ranges inside, fixes edit only their ranges and carry their target`, known ? { todo: known } : {}, () => {
        fc.assert(
          fc.property(fuzzCases(kind, samples), (c) => void checkAnalysis(kind, c.path, c.text, catalog, stats, { pick: c.pick })),
          { numRuns: RUNS, seed: SEED },
        );
      });

      it(`texts with a 1 MB line (${megabyteLineRecipes(kind).length}, fixed)`, () => {
        for (const recipe of megabyteLineRecipes(kind)) {
          const c = megabyteLine(kind, samples, recipe);
          // no fix re-analysed: a fix's re-analysis costs another second or more (fixes are checked at volume above)
          checkAnalysis(kind, c.path, c.text, catalog, stats, 'none');
        }
      });

      it(`texts nested 1,000 to 2,000 levels deep: ${(KIND_NESTINGS[kind.id] ?? []).join(', ')}, alone and in a real file`, () => {
        for (const recipe of deepNestingRecipes(kind)) {
          const c = deepNesting(kind, samples, recipe);
          checkAnalysis(kind, c.path, c.text, catalog, stats, { pick: 0 });
        }
      });
    });
  }

  it('checked texts, references, findings and fixes of every kind', () => {
    const rows = [...totals].map(([id, s]) => `${id}: ${s.texts} texts, ${s.references} references, ${s.findings} findings, ${s.fixes} fixes (${s.fixesWithTarget} with a target, ${s.reparsed} re-parsed)`);
    console.log(rows.join('\n'));
    for (const [id, s] of totals) if (!KNOWN_FAILURES[id]) assert.ok(s.texts >= RUNS, `${id}: ${s.texts} texts`);
    const all = [...totals.values()];
    assert.ok(all.reduce((n, s) => n + s.fixesWithTarget, 0) > 0, 'some fixes with a target were checked');
  });
});

describe('what fuzzing found (regressions)', () => {
  before(async () => {
    await initParsers();
  });
  const kind = (id: string) => fileKindById(id)!;

  it('a pip version split by shell quotes is judged but never edited: the fix would delete the quote', () => {
    // found: `'tensorflow>=2.14,<2.1'5` reads <2.15; the fix replaced `2.1'5` and left the quote unclosed
    const text = "FROM python:3.10-slim\nRUN pip install torch==2.1.0 'tensorflow>=2.14,<2.1'5 -r requirements.txt\n";
    const a = checkAnalysis(kind('dockerfile'), 'Dockerfile', text, catalog);
    const tf = a.findings.filter((f) => f.subject === 'tensorflow');
    assert.ok(tf.some((f) => f.rule === 'end-of-patch'), 'still judged');
    assert.deepEqual(tf.flatMap((f) => f.fixes), []);
    assert.ok(a.findings.some((f) => f.subject === 'pytorch' && f.fixes.length > 0), 'an unquoted pin beside it keeps its fixes');
  });

  it('a SageMaker SDK argument whose string runs past its line (a lone CR) or is followed by stray text is not read, so no fix edits it', () => {
    // found: tree-sitter's Python lexer does not end a one-quote string at a lone CR, so the version
    // read was `…\r1.15.0`; and `py_version="x"arn:…` took `x` for the Python; both fixes left a call
    // that was not read again at their edit
    const carriage = 'import sagemaker\rother = TensorFlow(framework_version="  sagemaker.x(image=T)\r1.15.0", py_version="py27")\r';
    const a = checkAnalysis(kind('python'), 'train.py', carriage, catalog);
    const tf = a.scan.references.find((r) => r.kind === 'sdk-framework' && r.subject === 'tensorflow');
    assert.equal(tf?.kind === 'sdk-framework' ? tf.sdk.frameworkVersion : 'no call read', undefined);
    assert.ok(a.scan.notes.some((n) => n.message.includes('not terminated on its line')), a.scan.notes.map((n) => n.message).join('; '));
    const stray = 'from sagemaker.pytorch import PyTorch\nest = PyTorch(framework_version="1.10.2", py_version="  role="arn:aws:iam::1:role/x",\npy38")\n';
    const b = checkAnalysis(kind('python'), 'train.py', stray, catalog);
    const pt = b.scan.references.find((r) => r.kind === 'sdk-framework' && r.subject === 'pytorch');
    assert.ok(pt?.kind === 'sdk-framework' && pt.sdk.frameworkVersion?.text === '1.10.2', 'the well-formed argument is still read');
    assert.equal(pt.sdk.pyVersion, undefined);
    assert.ok(b.findings.flatMap((f) => f.fixes).every((f) => f.edits.every((e) => e.range.start.line === 1 && e.range.end.character <= 47)), 'no edit of the stray py_version');
  });

  it('a conda environment of 100 KB of quotes yields at most 10 syntax-error notes, not one per pair', () => {
    const a = analyzeText('"'.repeat(100_000), 'environment.yml', kind('conda-environment'), catalog, { asOf: '2026-11-21' });
    const notes = a.findings.filter((f) => f.message.startsWith('YAML syntax error'));
    assert.ok(notes.length > 0 && notes.length <= 10, `${notes.length} notes`);
  });

  it('YAML nested deeper than the parser can recurse is not parsed (the process crashed), with a note; real files are far below the limit', () => {
    // found: `{` × 1,000 parsed twice stopped Node ("RegExpCompiler Allocation failed - process out of memory")
    for (const [id, path] of [['conda-environment', 'environment.yml'], ['infrastructure-yaml', 'template.yaml']] as const) {
      for (let i = 0; i < 3; i++) {
        const a = analyzeText(`image: x\n${'{'.repeat(1000)}name: x\n`, path, kind(id), catalog, { asOf: '2026-11-21' });
        assert.ok(a.findings.some((f) => f.message.includes(`more than ${MAX_YAML_NESTING} levels`)), `${id}: ${a.findings.map((f) => f.message).join('; ')}`);
      }
    }
    assert.equal(yamlNestingBound('a:\n  b: [1, {c: [2]}]\n  # [[[[\n- - x\n'), 5);
    for (const s of [...(samples.get('conda-environment') ?? []), ...(samples.get('infrastructure-yaml') ?? [])]) assert.ok(yamlNestingBound(s.text) < 40, s.path);
  });

  it('texts that took minutes to hours are read at once (a child process, ended after 60 s)', () => {
    // found: `\\+$` (requirements continuation), a `.*` per star of an apt glob (Neuron rule),
    // dockerfile-ast reading a first line of `#` without a line break, `\s*~?\s*` (Terraform JSON
    // interpolations), `[ \t]+(.*)$` (notebook cell magics)
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-hang-'));
    try {
      const files: Record<string, string> = {
        'requirements.txt': `${'\\'.repeat(300_000)}torch==1.13.1\n`,
        Dockerfile: `FROM ubuntu:22.04\nRUN apt-get install -y aws-neuronx-runtime-lib=${'*'.repeat(60)}x\n`,
        'comment.Dockerfile': '#'.repeat(1_000_000),
        'main.tf.json': JSON.stringify({ resource: { aws_sagemaker_model: { m: { primary_container: { image: `763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:\${${' '.repeat(300_000)}1 }` } } } } }),
        'train.ipynb': JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, source: [`%%bash${' '.repeat(300_000)}\u2028x\n`, 'pip install torch==1.13.1\n'] }], metadata: { kernelspec: { language: 'python' } }, nbformat: 4, nbformat_minor: 5 }),
      };
      const args = Object.entries(files).map(([name, text]) => {
        writeFileSync(join(dir, name), text);
        return `${name}=${join(dir, name)}`;
      });
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'fixtures', 'fuzzAnalyze.ts'), ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 20 });
      assert.equal(r.signal, null, `ended by ${r.signal}: an analysis hangs`);
      assert.equal(r.status, 0, r.stderr);
      const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { path: string; references: number; rules: string[] });
      assert.deepEqual(out.map((o) => o.path), Object.keys(files));
      assert.ok(out.find((o) => o.path === 'Dockerfile')!.references > 0, 'the apt pin is read');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
