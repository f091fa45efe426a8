// Runs the node:test suites (unit, cli, protocol) with tsx, prints Node's summary and a plain
// "N passed, N failed" line. Usage: node scripts/run-tests.mjs [unit|cli|protocol ...]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const groups = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'cli', 'protocol'];
const files = [];
const collect = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p);
    else if (name.endsWith('.test.ts')) files.push(relative(root, p));
  }
};
for (const g of groups) collect(join(root, 'test', g));
mkdirSync(join(root, '.test-output'), { recursive: true });
const tap = join(root, '.test-output', 'node-test.tap');
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { cwd: root, stdio: 'inherit' },
);
const text = readFileSync(tap, 'utf8');
const count = (k) => Number((new RegExp(`^# ${k} (\\d+)$`, 'm').exec(text) ?? [])[1] ?? 0);
console.log(`${count('pass')} passed, ${count('fail')} failed${count('skipped') ? `, ${count('skipped')} skipped` : ''}`);
process.exit(r.status ?? 1);
