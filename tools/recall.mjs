// Measures what the scanners find of a hand-read reference list: for each row of a TSV with the
// columns `repo`, `path`, `line`, `file_kind`, `reference_kind` and `notes` (a notebook row's notes
// hold `cell=N … line=L`), it scans the checkout of the row's repository with the built CLI
// (`dist/cli.js scan --format json`) and counts the row as found when a reference or a finding
// starts on its line (in a notebook: on that line of that cell). Rows of kind `other` are left out.
// A note (`unresolved-reference`) on the line is counted apart: seen, not judged.
//
//   node tools/recall.mjs --references <file.tsv> --checkouts <dir> [--as-of YYYY-MM-DD] [--repos a/b,c/d] [--misses]
//
// A checkout of `owner/name` is the folder `<dir>/owner+name`. Prints one line per repository and
// file kind: found / rows (noted), and with --misses each row not found. Plain Node ESM.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { references: { type: 'string' }, checkouts: { type: 'string' }, 'as-of': { type: 'string', default: '2026-11-21' }, repos: { type: 'string' }, misses: { type: 'boolean' } },
});
if (!values.references || !values.checkouts) {
  console.error('usage: node tools/recall.mjs --references <file.tsv> --checkouts <dir> [--as-of YYYY-MM-DD] [--repos a/b,c/d] [--misses]');
  process.exit(2);
}
const cli = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'cli.js');
const [header, ...lines] = fs.readFileSync(values.references, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
const cols = header.split('\t');
const rows = lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v]))).filter((r) => r.reference_kind !== 'other');
const wanted = values.repos ? new Set(values.repos.split(',')) : undefined;

/** Lines (1-based) where something starts, per file, and per `file#cell` for notebook cells. */
function scanned(repo) {
  const dir = path.join(values.checkouts, repo.replace('/', '+'));
  if (!fs.existsSync(dir)) return undefined;
  const r = spawnSync(process.execPath, [cli, 'scan', '.', '--format', 'json', '--as-of', values['as-of'], '--fail-on', 'never'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`scan of ${repo} failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  const found = new Map();
  const noted = new Map();
  const add = (map, key, line) => (map.get(key) ?? map.set(key, new Set()).get(key)).add(line);
  for (const x of [...report.references, ...report.findings]) {
    const map = x.rule === 'unresolved-reference' ? noted : found;
    add(map, x.file, x.range.start.line + 1);
    if (x.cell !== undefined) add(map, `${x.file}#${x.cell}`, x.cellLine + 1);
  }
  return { found, noted };
}

const results = new Map();
for (const repo of [...new Set(rows.map((r) => r.repo))].sort()) {
  if (wanted && !wanted.has(repo)) continue;
  const s = scanned(repo);
  if (!s) {
    console.error(`no checkout of ${repo} in ${values.checkouts}`);
    continue;
  }
  for (const row of rows.filter((r) => r.repo === repo)) {
    const file = row.path.trim();
    const cell = /cell=(\d+).*?line=(\d+)/.exec(row.notes ?? '');
    const on = (map) => map.get(file)?.has(Number(row.line)) || (cell !== null && map.get(`${file}#${cell[1]}`)?.has(Number(cell[2])));
    const key = `${repo}\t${row.file_kind}`;
    const t = results.get(key) ?? results.set(key, { found: 0, noted: 0, rows: 0 }).get(key);
    t.rows++;
    if (on(s.found)) t.found++;
    else {
      if (on(s.noted)) t.noted++;
      if (values.misses) console.log(`miss\t${repo}\t${file}:${row.line}\t${row.reference_kind}\t${(row.text ?? '').slice(0, 80)}${on(s.noted) ? '\t(noted)' : ''}`);
    }
  }
}
for (const [key, t] of results) console.log(`${key}\t${t.found}/${t.rows} found${t.noted ? `, ${t.noted} more noted` : ''}`);
