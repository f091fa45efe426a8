/**
 * `npm run bench -- soak`: the language server's memory over a long session. Starts the built
 * server (dist/server.js --stdio, with the Node options the extension uses, `SERVER_NODE_OPTIONS`), opens one Python document (SageMaker SDK calls: the tree-sitter
 * WebAssembly parser runs on each analysis), sends 10,000 incremental edits that each replace one
 * version string (every 10th followed by a hover, which analyses that version at once; every 100th
 * waited for until its diagnostics arrive), then 1,000 didOpen/didClose cycles of different
 * documents (requirements.txt, Dockerfile, environment.yml, Python, Terraform, each in its own
 * folder), waiting for the diagnostics of each open and of each close.
 *
 * Prints the server process's RSS (`VmRSS` of /proc/<pid>/status, Linux) after the first 100
 * edits, every 2,000 edits, at the end of the edits, every 500 cycles and at the end, and the
 * ratios to the reading after 100 edits (bar: end of edits ≤ 1.10×). One document of each kind is
 * opened and closed before the edits, so that lazily built catalog parts are in the baseline.
 *
 * RSS also moves with V8's heap sizing (the young generation grows under allocation, and old
 * garbage stays until a major GC), which is not a leak. So the workload runs a second time with
 * `--expose-gc` and the `soak-gc.js` preload, and at each reading a full GC is forced: the live
 * JavaScript heap after it, and its growth per edit and per cycle, are what a leak would raise.
 * The first run (as shipped) gives the RSS column; the second only the leak-check columns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import type { LspServer } from './lspClient';
import { change, close, open, ROOT, rssKiB, sleep, startServer, stopServer } from './lspClient';
import { SERVER_ENV, SERVER_NODE_OPTIONS } from '../server/src/workspace/serverProcess';

const EDITS = Number(process.env.SOAK_EDITS ?? 10_000);
const CYCLES = Number(process.env.SOAK_CYCLES ?? 1_000);
const VERSIONS = ['2.1.0', '2.2.0', '2.3.0', '2.0.1', '1.13.1', '2.4.0', '2.5.1', '2.6.0'];

/** The edited document: a SageMaker training script with `FRAMEWORK_VERSION = "…"` on line 4 (0-based), and where to hover. */
function trainingScript(): { text: string; line: number; col: number; hover: { line: number; character: number } } {
  const out = [
    '"""Fine-tuning job on SageMaker."""',
    'import sagemaker',
    'from sagemaker.pytorch import PyTorch, PyTorchModel',
    '',
    `FRAMEWORK_VERSION = "${VERSIONS[0]}"`,
    'PY_VERSION = "py310"',
    '',
  ];
  for (let i = 0; i < 8; i++) {
    out.push(
      `def step_${i}(role, data):`,
      `    """Step ${i} of the pipeline."""`,
      `    estimator = PyTorch(entry_point="train_${i}.py", framework_version=FRAMEWORK_VERSION, py_version=PY_VERSION, instance_type="ml.g5.2xlarge", role=role)`,
      `    estimator.fit({"train": data})`,
      `    return estimator`,
      '',
    );
  }
  out.push('model = PyTorchModel(model_data="s3://bucket/model.tar.gz", framework_version="2.1.0", py_version="py310", role="role")', '');
  // hovers go to the first estimator call, the reference the version belongs to
  const call = out.findIndex((l) => l.includes('= PyTorch('));
  return { text: out.join('\n'), line: 4, col: 'FRAMEWORK_VERSION = "'.length, hover: { line: call, character: out[call].indexOf('PyTorch(') + 1 } };
}

/** The document of open/close cycle `i`: one of five kinds, each in a folder of its own. */
function cycleDocument(i: number): { file: string; languageId: string; text: string } {
  const v = VERSIONS[i % VERSIONS.length];
  switch (i % 5) {
    case 0:
      return { file: 'requirements.txt', languageId: 'pip-requirements', text: `torch==${v}\ntorchvision==0.16.${i % 3}\nnumpy==1.26.4\ntransformers==4.36.${i % 10}\n` };
    case 1:
      return { file: 'Dockerfile', languageId: 'dockerfile', text: `ARG TAG=${v}-gpu-py310-cu121-ubuntu20.04-sagemaker\nFROM 763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:\${TAG}\nRUN pip install --no-cache-dir torchvision==0.16.${i % 3}\n` };
    case 2:
      return { file: 'environment.yml', languageId: 'yaml', text: `name: env${i}\nchannels:\n  - pytorch\ndependencies:\n  - python=3.10\n  - pytorch=${v}\n  - pip:\n    - tensorflow==2.14.${i % 2}\n` };
    case 3:
      return { file: 'train.py', languageId: 'python', text: `from sagemaker.pytorch import PyTorch\nest = PyTorch(entry_point="train.py", framework_version="${v}", py_version="py310", role="r${i}")\n` };
    default:
      return { file: 'main.tf', languageId: 'terraform', text: `data "aws_ami" "dl${i}" {\n  most_recent = true\n  filter {\n    name   = "name"\n    values = ["Deep Learning AMI GPU PyTorch ${v} (Amazon Linux 2) *"]\n  }\n}\n` };
  }
}

const mb = (bytesOrKiB: number, unit: 'KiB' | 'B' = 'KiB') => (bytesOrKiB / (unit === 'KiB' ? 1024 : 1024 * 1024)).toFixed(1);

/** One memory reading: the point, RSS in KiB, and in the leak check the memory after a forced full GC (bytes). */
interface Reading { at: string; rss: number; afterGc?: { rss: number; heapUsed: number; external: number } }

/**
 * Runs the workload once and returns the readings. `leakCheck` starts the server with
 * `--expose-gc` and the `soak-gc.js` preload, and after each RSS reading asks it (SIGUSR2) for a
 * full GC and its memory: the live JavaScript heap, which only a leak makes grow.
 */
async function soak(leakCheck: boolean): Promise<{ readings: Reading[]; hovers: number; waited: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-soak-'));
  const rootUri = pathToFileURL(dir).href;
  const preload = leakCheck ? ['--expose-gc', '--require', path.join(__dirname, 'soak-gc.js')] : [];
  let s: LspServer | undefined;
  const readings: Reading[] = [];
  const memoryLines: string[] = [];
  let memoryWaiter: (() => void) | undefined;
  const read = async (at: string) => {
    await sleep(300); // the server's summary timer (200 ms) has run; the server is idle
    const reading: Reading = { at, rss: rssKiB(s!.proc.pid!) };
    if (leakCheck) {
      const got = new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('the server did not report its memory after SIGUSR2')), 10_000);
        memoryWaiter = () => (clearTimeout(t), resolve());
      });
      s!.proc.kill('SIGUSR2');
      await got;
      const m = JSON.parse(memoryLines.shift()!) as { heapUsed: number; external: number };
      reading.afterGc = { rss: rssKiB(s!.proc.pid!) * 1024, heapUsed: m.heapUsed, external: m.external };
    }
    readings.push(reading);
    return reading;
  };
  let hovers = 0;
  let waited = 0;
  try {
    s = await startServer({ name: 'dl-lifecycle', args: [...SERVER_NODE_OPTIONS, ...preload, path.join(ROOT, 'dist/server.js'), '--stdio'], rootUri, initializationOptions: { settings: {} }, env: SERVER_ENV });
    const server = s;
    let buffered = '';
    server.proc.stderr!.on('data', (d: string) => {
      buffered += d;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('SOAK_MEMORY ')) {
          memoryLines.push(line.slice('SOAK_MEMORY '.length));
          memoryWaiter?.();
        }
      }
    });
    await read('after initialize');
    // one document of each kind first, so that the catalog parts built on first use and the code of
    // every scanner are in place before the baseline reading
    for (let k = 0; k < 5; k++) {
      const d = cycleDocument(k);
      const u = `${rootUri}/warm/${d.file}`;
      const published = server.next(u, 1);
      await open(server, u, d.languageId, 1, d.text);
      await published;
      const cleared = server.next(u);
      await close(server, u);
      await cleared;
    }
    const doc = trainingScript();
    const uri = `${rootUri}/job/train.py`;
    const first = server.next(uri, 1);
    await open(server, uri, 'python', 1, doc.text);
    const opened = await first;
    if (!opened.params.diagnostics.length) throw new Error('the soak document has no findings: the server does not analyse it');
    let current = VERSIONS[0];
    for (let i = 1; i <= EDITS; i++) {
      const version = i + 1;
      const next = VERSIONS[(VERSIONS.indexOf(current) + 1) % VERSIONS.length];
      const range = { start: { line: doc.line, character: doc.col }, end: { line: doc.line, character: doc.col + current.length } };
      current = next;
      const wait = i % 100 === 0 ? server.next(uri, version) : undefined;
      await change(server, uri, version, [{ range, text: next }]);
      if (i % 10 === 0) {
        const hover = await server.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: doc.hover });
        if (hover) hovers++;
      }
      if (wait) {
        await wait;
        waited++;
      }
      if (i === 100) await read('after 100 edits');
      else if (i % 2000 === 0 && i !== EDITS) await read(`after ${i.toLocaleString('en')} edits`);
    }
    await read(`end of ${EDITS.toLocaleString('en')} edits`);
    const closed = server.next(uri);
    await close(server, uri);
    await closed;
    for (let i = 0; i < CYCLES; i++) {
      const d = cycleDocument(i);
      const u = `${rootUri}/p${i}/${d.file}`;
      const published = server.next(u, 1);
      await open(server, u, d.languageId, 1, d.text);
      await published;
      const cleared = server.next(u);
      await close(server, u);
      await cleared;
      if ((i + 1) % 500 === 0 && i + 1 !== CYCLES) await read(`after ${(i + 1).toLocaleString('en')} cycles`);
    }
    await read(`end of ${CYCLES.toLocaleString('en')} open/close cycles`);
  } finally {
    if (s) await stopServer(s);
    rmSync(dir, { recursive: true, force: true });
  }
  return { readings, hovers, waited };
}

async function main(): Promise<void> {
  const started = performance.now();
  const plain = await soak(false);
  const check = await soak(true);
  const base = (rs: Reading[]) => rs.find((r) => r.at === 'after 100 edits')!;
  const endEdits = (rs: Reading[]) => rs.find((r) => r.at.startsWith('end of') && r.at.endsWith('edits'))!;
  const endCycles = (rs: Reading[]) => rs[rs.length - 1];
  const x = (v: number, b: number) => `${(v / b).toFixed(3)}×`;
  console.log(`${EDITS.toLocaleString('en')} edits of one Python document (${plain.hovers} hovers answered, ${plain.waited} diagnostics waited for), then ${CYCLES.toLocaleString('en')} open/close cycles of different documents; run twice: as shipped, and with a full GC forced at each reading (leak check).\n`);
  console.log('| point | RSS MB | × after 100 edits | leak check: RSS after full GC MB | × | live JS heap MB | × | external (WebAssembly) MB |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const b = base(plain.readings);
  const cb = base(check.readings).afterGc!;
  plain.readings.forEach((r, i) => {
    const c = check.readings[i].afterGc!;
    console.log(`| ${r.at} | ${mb(r.rss)} | ${x(r.rss, b.rss)} | ${mb(c.rss, 'B')} | ${x(c.rss, cb.rss)} | ${mb(c.heapUsed, 'B')} | ${x(c.heapUsed, cb.heapUsed)} | ${mb(c.external, 'B')} |`);
  });
  const rssRatio = endEdits(plain.readings).rss / b.rss;
  console.log(`\nRSS, end of edits / after 100 edits: ${rssRatio.toFixed(3)} (bar ≤ 1.10: ${rssRatio <= 1.1 ? 'met' : 'NOT met'}); end of cycles / after 100 edits: ${(endCycles(plain.readings).rss / b.rss).toFixed(3)}.`);
  // a leak grows the live heap at a steady rate; warm-up (compiled code, lazily built catalog
  // parts) happens early, so the rate is taken over the second half of each phase
  const heapAt = (at: string) => check.readings.find((r) => r.at === at)!.afterGc!.heapUsed;
  const lastEdits = endEdits(check.readings).at;
  const midEdits = `after ${(Math.floor(EDITS / 4000) * 2000).toLocaleString('en')} edits`;
  const midCycles = `after ${(Math.floor(CYCLES / 1000) * 500).toLocaleString('en')} cycles`;
  const perEdit = check.readings.some((r) => r.at === midEdits) ? (heapAt(lastEdits) - heapAt(midEdits)) / (EDITS - Math.floor(EDITS / 4000) * 2000) : NaN;
  const perCycle = check.readings.some((r) => r.at === midCycles) ? (heapAt(endCycles(check.readings).at) - heapAt(midCycles)) / (CYCLES - Math.floor(CYCLES / 1000) * 500) : NaN;
  const heapRatio = endEdits(check.readings).afterGc!.heapUsed / cb.heapUsed;
  const heapCycles = endCycles(check.readings).afterGc!.heapUsed / cb.heapUsed;
  console.log(`Live JS heap after a full GC: end of edits / after 100 edits ${heapRatio.toFixed(3)}, end of cycles / after 100 edits ${heapCycles.toFixed(3)}; growth over the second half of the edits ${perEdit.toFixed(0)} bytes per edit, of the cycles ${perCycle.toFixed(0)} bytes per cycle (a leak of the edited document's versions or of closed documents shows here).`);
  console.log(`Section took ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  process.exit(1);
});
