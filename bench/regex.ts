/**
 * The `regex` section of `npm run bench`: every regular expression of the scanners, rules and fixes
 * (the literals of their sources and the patterns built at run time, as test/unit/regex.test.ts
 * collects them) timed on its adversarial 100 KB inputs (test/fixtures/fuzzRegex.ts: each quantifier
 * pumped to 100 KB after the text that leads to it, with a near miss at the end; runs of each
 * character class; the pattern's match repeated). Each input runs `REGEX_BENCH_RUNS` times (default
 * 3) in a worker that is ended after 10 s (a hang is printed as such, never waited for).
 *
 * Prints the ten worst pattern/input pairs by median: where the pattern is, the pattern, the input,
 * median and p95 in ms, µs per KB, and the ratio to a peer measured in the same run (before and
 * after the patterns, on 100 KB of letters, of line breaks and of requirement lines): `/[^]/g` run
 * the same way, which matches every character (the most work a linear pattern can do: one step and
 * one match per character). A linear pattern stays at or below about 1×; a backtracking one is
 * hundreds to thousands of times above. Never used as a pass/fail test.
 */
import { loadBundledCatalog } from '../server/src/catalog/load';
import { adversarialInputs, collectPatterns, DYNAMIC_PATTERNS, HangDetector, parseRegex } from '../test/fixtures/fuzzRegex';

const RUNS = Number(process.env.REGEX_BENCH_RUNS ?? 3);
const HANG_MS = 10_000;
/** The peer: a linear pattern that matches every character of the input once. */
const PEER = { source: '[^]', flags: 'g' };

interface Row {
  where: string;
  pattern: string;
  input: string;
  median: number;
  p95: number;
  kb: number;
  hang: boolean;
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))];

async function main(): Promise<void> {
  const started = performance.now();
  const root = process.cwd();
  const { literals } = collectPatterns(root);
  const ids = loadBundledCatalog().frameworks.map((f) => f.id);
  const patterns = [
    ...literals.map((l) => ({ where: `${l.file.replace(/^server\/src\//, '')}:${l.line}`, source: l.source, flags: l.flags })),
    ...DYNAMIC_PATTERNS.flatMap((d) => d.patterns(ids).map((re) => ({ where: `${d.file.replace(/^server\/src\//, '')} (built)`, source: re.source, flags: re.flags }))),
  ];
  const detector = new HangDetector(HANG_MS);
  // the peer, on 100 KB of letters, of line breaks and of a real file's mix, before and after the patterns
  const peerInputs = ['a'.repeat(100_000), '\n'.repeat(100_000), 'torch==2.1.0 # a pin\n'.repeat(5_000)];
  const peerTimes: number[] = [];
  const measurePeer = async () => {
    for (const text of peerInputs) for (let r = 0; r < RUNS; r++) {
      const t = await detector.run(PEER.source, PEER.flags, text);
      if (t !== 'hang') peerTimes.push(t);
    }
  };
  const rows: Row[] = [];
  let inputs = 0;
  try {
    await measurePeer();
    for (const p of patterns) {
      for (const input of adversarialInputs(parseRegex(p.source, p.flags))) {
        inputs++;
        const times: number[] = [];
        let hang = false;
        for (let r = 0; r < RUNS && !hang; r++) {
          const t = await detector.run(p.source, p.flags, input.text);
          if (t === 'hang') hang = true;
          else times.push(t);
        }
        times.sort((a, b) => a - b);
        rows.push({
          where: p.where,
          pattern: `/${p.source}/${p.flags}`,
          input: input.label,
          median: hang ? HANG_MS : quantile(times, 0.5),
          p95: hang ? HANG_MS : quantile(times, 0.95),
          kb: input.text.length / 1024,
          hang,
        });
      }
    }
    await measurePeer();
  } finally {
    await detector.close();
  }
  const peer = quantile(peerTimes.sort((a, b) => a - b), 0.5);
  rows.sort((a, b) => b.median - a.median);
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  console.log(`${patterns.length} patterns (${literals.length} literals, ${patterns.length - literals.length} built at run time), ${inputs} adversarial inputs of 100 KB, ${RUNS} runs each; worst 10 by median:\n`);
  console.log('| where | pattern | input | median ms | p95 ms | µs/KB | × `/[^]/g` |');
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: |');
  for (const r of rows.slice(0, 10)) {
    const ratio = peer > 0 ? (r.median / peer).toFixed(2) : '–';
    const ms = r.hang ? `hang (> ${HANG_MS / 1000} s)` : r.median.toFixed(3);
    console.log(`| ${r.where} | \`${cut(r.pattern, 48).replace(/\|/g, '\\|')}\` | ${cut(r.input, 36).replace(/\|/g, '\\|')} | ${ms} | ${r.hang ? '–' : r.p95.toFixed(3)} | ${((r.median * 1000) / r.kb).toFixed(1)} | ${ratio} |`);
  }
  const hangs = rows.filter((r) => r.hang).length;
  console.log(`\nthe peer /[^]/g on 100 KB: median ${peer.toFixed(3)} ms (${peerTimes.length} runs, before and after the patterns); ${hangs} hang(s); section took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (hangs) process.exitCode = 1;
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
