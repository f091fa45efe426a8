/**
 * `npm run bench`: times the analysis of one requirements document (scan + rules + suppression)
 * on generated files of 1,000, 2,000 and 100,000 lines, and the CLI walk of the examples, and
 * prints a table. Machines are noisy: read medians, and the ratio column (cost per line relative
 * to the 1,000-line file) for linearity. Never used as a pass/fail test.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Bench } from 'tinybench';
import { analyzeText } from '../server/src/analysis';
import { loadBundledCatalog } from '../server/src/catalog/load';
import { fileKindById } from '../server/src/scanners/fileKinds';
import { scanRequirements } from '../server/src/scanners/requirements';

const catalog = loadBundledCatalog();
const kind = fileKindById('pip-requirements')!;
const LINES = [
  'torch==1.13.1  # pinned',
  'numpy==1.26.4',
  'tensorflow-gpu>=2.4,<2.5 ; platform_system == "Linux"',
  '# a comment',
  'torchvision==0.14.1',
  'mxnet-cu112==1.9.1 \\',
  '    --hash=sha256:0f2a4b8e6c1d3e5f7a9b0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f',
  'pandas[performance]~=2.2.0',
  '-r base.txt',
  'torch[cuda]==2.12.0+cu121',
];
const file = (n: number) => Array.from({ length: n }, (_, i) => LINES[i % LINES.length]).join('\n');
const sizes = [1_000, 2_000, 100_000];
const texts = new Map(sizes.map((n) => [n, file(n)]));

async function main(): Promise<void> {
  const bench = new Bench({ time: 1000, warmupTime: 200, iterations: 5 });
  for (const n of sizes) {
    const text = texts.get(n)!;
    bench.add(`analyse ${n.toLocaleString('en')} lines`, () => {
      analyzeText(text, 'requirements.txt', kind, catalog, { asOf: '2026-11-21' });
    });
    bench.add(`scan only ${n.toLocaleString('en')} lines`, () => {
      scanRequirements(text, catalog);
    });
  }
  await bench.run();
  const perLine = (name: string, n: number) => {
    const t = bench.tasks.find((x) => x.name === name)!;
    return (t.result as { latency: { p50: number } }).latency.p50 / n;
  };
  const rows = bench.tasks.map((t) => {
    const r = t.result as { latency: { p50: number; p99: number; samplesCount?: number }; throughput?: unknown };
    const lat = r.latency as { p50: number; p99: number; samples?: number[] };
    const sorted = [...(lat.samples ?? [])].sort((a, b) => a - b);
    const p95 = sorted.length ? sorted[Math.floor(sorted.length * 0.95)] : lat.p99;
    const n = Number(t.name.replace(/\D/g, ''));
    const base = t.name.startsWith('analyse') ? perLine('analyse 1,000 lines', 1000) : perLine('scan only 1,000 lines', 1000);
    return {
      task: t.name,
      'median ms': lat.p50.toFixed(3),
      'p95 ms': p95.toFixed(3),
      'µs/line': ((lat.p50 / n) * 1000).toFixed(3),
      'per-line ratio vs 1,000': ((lat.p50 / n) / base).toFixed(2),
      samples: sorted.length || '',
    };
  });
  console.table(rows);
  const ratio = (perLine('analyse 100,000 lines', 100_000) * 100_000) / (perLine('analyse 1,000 lines', 1000) * 1000);
  console.log(`100,000-line file takes ${ratio.toFixed(1)}× the 1,000-line file (bar: ≤ 100×).`);
  catalogLoad();
  parsersLoad();
}

/** Parser start-up in 9 fresh processes each: the runtime with the Python grammar alone, and with every grammar. */
function parsersLoad(): void {
  const median = (which: string) => {
    const v: number[] = [];
    for (let i = 0; i < 9; i++) {
      const r = spawnSync(process.execPath, [path.join(__dirname, 'parsers-load.js'), which], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`parsers-load failed: ${r.stderr}`);
      v.push((JSON.parse(r.stdout) as { ms: number }).ms);
    }
    v.sort((a, b) => a - b);
    return v;
  };
  const row = (task: string, v: number[]) => ({ task, 'median ms': v[4].toFixed(1), 'min ms': v[0].toFixed(1), 'max ms': v[8].toFixed(1) });
  const python = median('python');
  const all = median('all');
  console.table([row('tree-sitter runtime + Python grammar', python), row('tree-sitter runtime + all four grammars', all)]);
  console.log(`All grammars take ${(all[4] / python[4]).toFixed(2)}× the Python grammar alone at start-up.`);
}

/** Catalog load at start-up, in 9 fresh processes (the first use of each part is what a start pays). */
function catalogLoad(): void {
  const runs: Array<Record<string, number>> = [];
  for (let i = 0; i < 9; i++) {
    const r = spawnSync(process.execPath, [path.join(__dirname, 'catalog-load.js')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`catalog-load failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout) as Record<string, number>);
  }
  const stat = (key: string) => {
    const v = runs.map((x) => x[key]).sort((a, b) => a - b);
    return { 'median ms': v[Math.floor(v.length / 2)].toFixed(1), 'min ms': v[0].toFixed(1), 'max ms': v[v.length - 1].toFixed(1) };
  };
  const labels: Record<string, string> = {
    read: 'read catalog.json',
    frameworks: 'frameworks part: validate + index (at start)',
    images: 'images part: first use',
    lifecycle: 'lifecycle part: first use',
    neuron: 'neuron part: first use',
    all: 'every part, first use in the process',
    warmAll: 'every part again (warm)',
  };
  console.table(Object.entries(labels).map(([key, task]) => ({ task, ...stat(key) })));
  console.log('Bar: loading the catalog and building its indexes ≤ 50 ms (start-up pays the frameworks part; the others on first use).');
}

void main();
