import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Range, ScanResult } from '../../../server/src/model';
import type { NotebookCellKind } from '../../../server/src/scanners/notebook/cells';
import { scanCell } from '../../../server/src/scanners/notebook/cells';
import { notebookCellAt, scanNotebook } from '../../../server/src/scanners/notebook/ipynb';
import { initPythonParser } from '../../../server/src/scanners/python/treeSitter';
import { TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();

before(async () => {
  await initPythonParser();
});

/** Pieces of real cells, and characters that JSON must escape or that are more than one UTF-16 unit. */
const piece = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(
    '!pip install ', '%pip install -q ', 'pip install ', '%conda install -y ', '!conda install ', '%mamba install ', '!{sys.executable} -m pip install ',
    'torch==1.13.1', 'tensorflow>=2.4', '"torch>=2.0"', 'pytorch=1.12', 'mxnet<1.9', '{ver}', '$V', ' > log.txt', ' 2>&1',
    '%%writefile requirements.txt\n', '%%writefile environment.yml\n', '%%bash\n', '%%capture\n', '%%html\n',
    'from sagemaker.pytorch import PyTorch\n', 'PyTorch(framework_version="1.8.0", py_version="py3")', 'x = """', '"""', "'", '"',
    '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker',
    ' # dl-lifecycle: ignore', '# c\n', '\\', '\\\n', '\\\r\n', ' ', '    ', '\t', '\n', '\r\n', '\r', '(', ')', '[', '{', '}', '<', '>', ';', '|', '&', '#',
    'é', 'ß', '🚀', '𝔘', '\u2028', '\u0000', '\u001f', '\u007f', '\uFEFF', '/', '\\u00e9',
  ) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);
const cellSource = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
const cellKind = fc.constantFrom<NotebookCellKind>('code', 'code', 'code', 'markdown', 'raw');

/** How a notebook writer stores a source: one string, nbformat's lines (split after `\n`), or arbitrary chunks. */
type SourceForm = { form: 'string' } | { form: 'lines' } | { form: 'chunks'; cuts: number[] };
const sourceForm: fc.Arbitrary<SourceForm> = fc.oneof(
  fc.constant({ form: 'string' as const }),
  fc.constant({ form: 'lines' as const }),
  fc.array(fc.nat(200), { maxLength: 6 }).map((cuts) => ({ form: 'chunks' as const, cuts })),
);
/** How the JSON text is written: compact, indented like Jupyter, or ASCII only (`\uXXXX`, `\/`). */
const encoding = fc.constantFrom('compact', 'indented', 'ascii');

function encodeSource(src: string, f: SourceForm): string | string[] {
  if (f.form === 'string') return src;
  if (f.form === 'lines') return src.split(/(?<=\n)/);
  const cuts = [...new Set(f.cuts.map((c) => Math.min(c, src.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let at = 0;
  for (const c of [...cuts, src.length]) {
    out.push(src.slice(at, c));
    at = c;
  }
  return out;
}

function encodeNotebook(cells: Array<{ kind: NotebookCellKind; source: string; form: SourceForm }>, enc: string): string {
  const nb = {
    cells: cells.map((c) => ({ cell_type: c.kind, metadata: {}, source: encodeSource(c.source, c.form), ...(c.kind === 'code' ? { outputs: [], execution_count: null } : {}) })),
    metadata: { kernelspec: { language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  if (enc === 'compact') return JSON.stringify(nb);
  if (enc === 'indented') return `${JSON.stringify(nb, null, 1)}\n`;
  // outside strings the JSON text is ASCII, so these only touch string contents
  return JSON.stringify(nb).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\//g, '\\/');
}

/**
 * Decodes the JSON text under a mapped range: the string contents it covers, across `", "` between
 * array items. @throws AssertionError when the span does not end with a character of the cell (a
 * quote and what lies between array items belong to none)
 */
function decodeJsonSpan(span: string): string {
  let out = '';
  let i = 0;
  let inString = true;
  let lastIsContent = false;
  while (i < span.length) {
    const c = span[i];
    lastIsContent = inString && c !== '"';
    if (!inString) {
      if (c === '"') inString = true;
      i++;
    } else if (c === '\\') {
      const len = span[i + 1] === 'u' ? 6 : 2;
      out += JSON.parse(`"${span.slice(i, i + len)}"`) as string;
      i += len;
    } else if (c === '"') {
      inString = false;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  assert.ok(lastIsContent || span === '', `the span ${JSON.stringify(span)} does not end with a character of the cell`);
  return out;
}

/** Every range of a scan result (references' nested ranges included). */
function allRanges(value: unknown, out: Range[] = []): Range[] {
  if (Array.isArray(value)) for (const v of value) allRanges(v, out);
  else if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.start === 'object' && typeof v.end === 'object' && v.start !== null && v.end !== null && 'line' in v.start && 'line' in v.end) out.push(v as unknown as Range);
    else for (const x of Object.values(v)) allRanges(x, out);
  }
  return out;
}

function assertInside(text: string, scan: ScanResult): void {
  const idx = new TextIndex(text);
  for (const r of allRanges([scan.references, scan.comments, scan.includes, scan.notes])) {
    assert.deepEqual(idx.positionAt(idx.offsetAt(r.start)), r.start, 'start outside the text');
    assert.deepEqual(idx.positionAt(idx.offsetAt(r.end)), r.end, 'end outside the text');
    assert.ok(idx.offsetAt(r.start) <= idx.offsetAt(r.end), 'reversed range');
  }
}

const slice = (text: string, r: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};

describe('notebook cell scanner properties', () => {
  it('never throws and keeps every range inside the cell', () => {
    fc.assert(
      fc.property(cellSource, cellKind, fc.boolean(), (src, kind, scanMarkdown) => {
        assertInside(src, scanCell(src, kind, catalog, { scanMarkdown }));
      }),
      { numRuns: 300 },
    );
  });
});

describe('.ipynb range mapping properties', () => {
  it('maps every range into the file so that the file text under it decodes back to the cell text, with the right cell and line', () => {
    const cells = fc.array(fc.record({ kind: cellKind, source: cellSource, form: sourceForm }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(cells, encoding, fc.boolean(), (cs, enc, scanMarkdown) => {
        const text = encodeNotebook(cs, enc);
        const nb = scanNotebook(text, catalog, { scanMarkdown });
        assertInside(text, nb);
        // the same references, cell by cell, in the order the notebook lists them
        const expected = cs.flatMap((c, index) =>
          c.source === '' ? [] : scanCell(c.source, c.kind, catalog, { scanMarkdown }).references.map((r) => ({ index, source: c.source, range: r.range })),
        );
        assert.equal(nb.references.length, expected.length);
        nb.references.forEach((r, k) => {
          const e = expected[k];
          assert.equal(decodeJsonSpan(slice(text, r.range)), slice(e.source, e.range));
          assert.deepEqual(notebookCellAt(nb, r.range.start), { cell: e.index, line: e.range.start.line });
        });
      }),
      { numRuns: 200 },
    );
  });

  it('locates a pin after lines of arbitrary UTF-16 text: its file text decodes to it, and its cell line is right', () => {
    // no line breaks, brackets, quotes or backslashes: every line stays a logical Python line of its own
    const line = fc.string({ unit: 'binary', maxLength: 8 }).map((s) => s.replace(/[\r\n([{'"\\]/g, ''));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), sourceForm, encoding, fc.boolean(), (lines, chosen, enc, cutAtPin) => {
        const source = [...lines, '!pip install torch==1.13.1 # c'].join('\n');
        // an array item may end right where the pin ends
        const form: SourceForm = cutAtPin ? { form: 'chunks', cuts: [source.lastIndexOf(' #')] } : chosen;
        const text = encodeNotebook([{ kind: 'code', source, form }], enc);
        const nb = scanNotebook(text, catalog);
        const pin = nb.references.find((r) => r.text === 'torch==1.13.1');
        assert.ok(pin);
        assert.equal(decodeJsonSpan(slice(text, pin.range)), 'torch==1.13.1');
        assert.deepEqual(notebookCellAt(nb, pin.range.start), { cell: 0, line: lines.length });
      }),
      { numRuns: 200 },
    );
  });
});
