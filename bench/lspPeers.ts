/**
 * `npm run bench -- lsp`: edit → diagnostics over LSP stdio, dl-lifecycle's server against
 * `dockerfile-language-server-nodejs` (Dockerfiles) and `yaml-language-server` (conda
 * environment.yml), on the same text and the same edits, in one run.
 *
 * Each case opens one generated document (~50 or ~500 lines) in both servers, then sends WARM_UP +
 * EDITS incremental `didChange`s, each replacing one version string (`torch==2.1.0` →
 * `torch==2.2.0` → …), and times from the `didChange` sent to that version's
 * `publishDiagnostics` received. The next edit is sent only when both servers have published, so
 * each server sees one edit at a time and publishes once per edit (counted and checked: neither
 * peer publishes "only on change of result"). Each edit goes to both servers at the same moment
 * (which one is written first alternates); their work hardly overlaps, because it starts after
 * different debounce delays (ours 150 ms, the Dockerfile server none, the YAML server 200 ms).
 *
 * Debounces are subtracted (read from the sources, so the table follows them): ours is
 * `DEBOUNCE_MS` in `server/src/workspace/validationDelay.ts`, which applies only to documents whose last analysis took
 * over `IMMEDIATE_ANALYSIS_MS` (others are validated at once): it is subtracted from an edit's time
 * when that time is at least the debounce (a shorter answer cannot have waited for it), and the
 * table says how many edits waited; `yaml-language-server` validates
 * `validationDelayMs` (200 ms, not configurable) after the last change
 * (`ValidationHandler.validate`, a `setTimeout` per document); `dockerfile-language-server-nodejs`
 * validates synchronously inside its `didChange` handler (no timer).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigurationItem } from 'vscode-languageserver-protocol/node';
import type { LspServer } from './lspClient';
import { change, close, open, ROOT, sleep, startServer, stats, stopServer } from './lspClient';
import { SERVER_ENV, SERVER_NODE_OPTIONS } from '../server/src/workspace/serverProcess';

const WARM_UP = Number(process.env.LSP_BENCH_WARM_UP ?? 20);
const EDITS = Number(process.env.LSP_BENCH_EDITS ?? 150);
/** The versions an edit cycles through (each edit writes the next one). */
const VERSIONS = ['2.1.0', '2.2.0', '2.3.0', '2.0.1', '1.13.1', '2.4.0', '2.5.1', '2.6.0'];

/** Reads a number out of a source file by a regex with one group; fails when the source changed shape. */
function fromSource(file: string, re: RegExp): number {
  const m = re.exec(readFileSync(path.join(ROOT, file), 'utf8'));
  if (!m) throw new Error(`${re} not found in ${file}: read the source again and update the bench`);
  return Number(m[1]);
}

const OUR_DEBOUNCE = fromSource('server/src/workspace/validationDelay.ts', /const DEBOUNCE_MS = (\d+);/);
const YAML_DEBOUNCE = fromSource('node_modules/yaml-language-server/out/server/src/yamlSettings.js', /this\.validationDelayMs = (\d+);/);
const DOCKER_SERVER = 'node_modules/dockerfile-language-server-nodejs/lib/server.js';
// the Dockerfile server has no timer at all: it validates inside onDidChangeTextDocument
if (/setTimeout|debounce/i.test(readFileSync(path.join(ROOT, DOCKER_SERVER), 'utf8'))) throw new Error(`${DOCKER_SERVER} now has a timer: find its debounce and subtract it`);
const DOCKER_DEBOUNCE = 0;

/** A generated document with one editable version: the line and column where it starts. */
interface Doc { text: string; line: number; col: number; lines: number }

/** A Dockerfile of about `n` lines: a DLC base image from ARGs, pip installs, a second stage every ~100 lines; `torch==…` to edit in the middle. */
function dockerfile(n: number): Doc {
  const out = [
    '# syntax=docker/dockerfile:1',
    '# Training image built on an AWS Deep Learning Container.',
    'ARG REGION=us-east-1',
    'ARG DLC_ACCOUNT=763104351884',
    'ARG PYTORCH_TAG=2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker',
    'FROM ${DLC_ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/pytorch-training:${PYTORCH_TAG} AS train',
    'ENV PYTHONUNBUFFERED=1',
    'WORKDIR /opt/ml/code',
  ];
  let edit = -1;
  for (let i = 0; out.length < n - 2; i++) {
    if (i > 0 && i % 12 === 0) out.push(`FROM 763104351884.dkr.ecr.us-west-2.amazonaws.com/tensorflow-training:2.14.1-gpu-py310-cu118-ubuntu20.04-ec2 AS stage${i}`, 'WORKDIR /opt/ml/code');
    if (edit < 0 && out.length >= n / 2) {
      edit = out.length;
      out.push(`RUN pip install --no-cache-dir torch==${VERSIONS[0]}`);
    }
    out.push(
      `# step ${i}`,
      `ARG STEP_${i}_VERSION=1.${i}.0`,
      `RUN pip install --no-cache-dir "transformers==4.36.${i % 10}" "accelerate==0.25.0" \\`,
      `    && pip install --no-cache-dir torchvision==0.16.${i % 3}`,
      `COPY step_${i}.py /opt/ml/code/step_${i}.py`,
      'RUN python -m pip install --no-cache-dir "datasets==2.16.1" numpy==1.26.4',
      `ENV STEP_${i}=done`,
    );
  }
  out.push('ENV SAGEMAKER_PROGRAM=train.py', '');
  return { text: out.join('\n'), line: edit, col: out[edit].indexOf('==') + 2, lines: out.length };
}

const CONDA = ['numpy=1.26.4', 'pandas=2.1.4', 'scipy=1.11.4', 'scikit-learn=1.3.2', 'matplotlib=3.8.2', 'pyarrow=14.0.2', 'tqdm=4.66.1', 'pyyaml=6.0.1', 'requests=2.31.0', 'h5py=3.10.0'];
const PIP = ['transformers==4.36.2', 'accelerate==0.25.0', 'datasets==2.16.1', 'evaluate==0.4.1', 'sentencepiece==0.1.99', 'wandb==0.16.1'];

/** A conda environment.yml of about `n` lines: channels, conda and pip dependencies; `pytorch=…` to edit in the middle of the conda list. */
function environmentYml(n: number): Doc {
  const out = ['# Training environment', 'name: train', 'channels:', '  - pytorch', '  - nvidia', '  - conda-forge', 'dependencies:', '  - python=3.10', '  - torchvision=0.16.0', '  - pytorch-cuda=12.1'];
  const condaLines = Math.max(4, Math.floor((n - out.length) * 0.6));
  let edit = -1;
  for (let i = 0; i < condaLines; i++) {
    if (edit < 0 && out.length >= n / 2) {
      edit = out.length;
      out.push(`  - pytorch=${VERSIONS[0]}`);
    }
    const [name, version] = CONDA[i % CONDA.length].split('=');
    out.push(i < CONDA.length ? `  - ${name}=${version}` : `  - ${name}-ext${i}=${version}`);
  }
  if (edit < 0) {
    edit = out.length;
    out.push(`  - pytorch=${VERSIONS[0]}`);
  }
  out.push('  - pip', '  - pip:');
  for (let i = 0; out.length < n; i++) {
    const [name, version] = PIP[i % PIP.length].split('==');
    out.push(i < PIP.length ? `    - ${name}==${version}` : `    - ${name}-plugin${i}==${version}`);
  }
  out.push('');
  return { text: out.join('\n'), line: edit, col: out[edit].indexOf('=') + 1, lines: out.length };
}

/** One comparison: a document, its language id and file name, the peer server and the debounces to subtract. */
interface Case { name: string; slug: string; file: string; languageId: string; doc: Doc; peer: 'docker' | 'yaml' }

interface Row { case: string; lines: number; ours: { median: number; p95: number }; peer: string; theirs: { median: number; p95: number }; rawOurs: number; rawTheirs: number; extra: string; /** Measured edits our server answered after its debounce. */ debounced: number }

const PEERS = {
  docker: { name: 'dockerfile-language-server-nodejs', entry: DOCKER_SERVER, debounce: DOCKER_DEBOUNCE, version: pkgVersion('dockerfile-language-server-nodejs') },
  yaml: { name: 'yaml-language-server', entry: 'node_modules/yaml-language-server/bin/yaml-language-server', debounce: YAML_DEBOUNCE, version: pkgVersion('yaml-language-server') },
};

function pkgVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Settings for yaml-language-server: validate, no schema store or CRD download, no formatter. */
function yamlSettings(item: ConfigurationItem): unknown {
  if (item.section === 'yaml') return { validate: true, schemaStore: { enable: false }, kubernetesCRDStore: { enable: false }, format: { enable: false } };
  return {};
}

/** Our server's bundle: `dist/server.js`, or `LSP_BENCH_SERVER` (a path, to time another build of it in the same conditions). */
const OUR_SERVER = path.resolve(ROOT, process.env.LSP_BENCH_SERVER ?? 'dist/server.js');

async function startOurs(rootUri: string): Promise<LspServer> {
  // with the Node options and environment the extension starts it with (SERVER_NODE_OPTIONS, SERVER_ENV); the peers run with Node's defaults, as their extensions start them
  return startServer({ name: 'dl-lifecycle', args: [...SERVER_NODE_OPTIONS, OUR_SERVER, '--stdio'], rootUri, initializationOptions: { settings: {} }, env: SERVER_ENV });
}

async function startPeer(which: 'docker' | 'yaml', rootUri: string): Promise<LspServer> {
  const p = PEERS[which];
  // no workspace/configuration capability: the Dockerfile server then validates synchronously with
  // its defaults, and the YAML server skips its per-validation settings round trip (it still pulls
  // its settings once after `initialized`, which is answered with yamlSettings)
  const s = await startServer({ name: p.name, args: [path.join(ROOT, p.entry), '--stdio'], rootUri, settings: yamlSettings });
  if (which === 'yaml') {
    for (let i = 0; i < 100 && s.configurationRequests() === 0; i++) await sleep(20);
    if (s.configurationRequests() === 0) throw new Error('yaml-language-server did not pull its settings');
    await sleep(200);
  }
  return s;
}

/** Opens a broken document in a peer and returns how many diagnostics it published (proof that it validates). */
async function peerValidates(s: LspServer, which: 'docker' | 'yaml', rootUri: string): Promise<number> {
  const uri = `${rootUri}/broken/${which === 'docker' ? 'Dockerfile' : 'environment.yml'}`;
  const wait = s.next(uri);
  await open(s, uri, which === 'docker' ? 'dockerfile' : 'yaml', 1, which === 'docker' ? 'FROM\nRUN\n' : 'dependencies: [\n  - a: b\n');
  const n = (await wait).params.diagnostics.length;
  const cleared = s.next(uri);
  await close(s, uri);
  await cleared;
  return n;
}

async function runCase(c: Case, ours: LspServer, peer: LspServer, rootUri: string): Promise<Row> {
  const p = PEERS[c.peer];
  const uri = `${rootUri}/${c.slug}/${c.file}`;
  const firstOurs = ours.next(uri, 1);
  const firstPeer = peer.next(uri);
  await open(ours, uri, c.languageId, 1, c.doc.text);
  await open(peer, uri, c.languageId, 1, c.doc.text);
  await Promise.all([firstOurs, firstPeer]);
  await sleep(300);
  const before = { ours: ours.published.length, peer: peer.published.length };
  const oursMs: number[] = [];
  const rawOursMs: number[] = [];
  const theirsMs: number[] = [];
  let debounced = 0;
  let current = VERSIONS[0];
  for (let i = 0; i < WARM_UP + EDITS; i++) {
    const version = i + 2;
    const next = VERSIONS[(VERSIONS.indexOf(current) + 1) % VERSIONS.length];
    const range = { start: { line: c.doc.line, character: c.doc.col }, end: { line: c.doc.line, character: c.doc.col + current.length } };
    current = next;
    const changes = [{ range, text: next }];
    const waitOurs = ours.next(uri, version);
    const waitPeer = peer.next(uri);
    let t0Ours = 0;
    let t0Peer = 0;
    // alternate which server is written to first
    const sendOurs = () => ((t0Ours = performance.now()), change(ours, uri, version, changes));
    const sendPeer = () => ((t0Peer = performance.now()), change(peer, uri, version, changes));
    if (i % 2) {
      void sendOurs();
      void sendPeer();
    } else {
      void sendPeer();
      void sendOurs();
    }
    const [gotOurs, gotPeer] = await Promise.all([waitOurs, waitPeer]);
    if (i >= WARM_UP) {
      const raw = gotOurs.at - t0Ours;
      rawOursMs.push(raw);
      const waited = raw >= OUR_DEBOUNCE;
      if (waited) debounced++;
      oursMs.push(waited ? raw - OUR_DEBOUNCE : raw);
      theirsMs.push(gotPeer.at - t0Peer - p.debounce);
    }
  }
  await sleep(500);
  const extraOurs = ours.published.length - before.ours - (WARM_UP + EDITS);
  const extraPeer = peer.published.length - before.peer - (WARM_UP + EDITS);
  const closedOurs = ours.next(uri);
  const closedPeer = peer.next(uri);
  await close(ours, uri);
  await close(peer, uri);
  await Promise.all([closedOurs, closedPeer]);
  const o = stats(oursMs);
  const t = stats(theirsMs);
  return {
    case: c.name,
    lines: c.doc.lines,
    ours: o,
    peer: `${p.name} ${p.version}`,
    theirs: t,
    rawOurs: stats(rawOursMs).median,
    debounced,
    rawTheirs: t.median + p.debounce,
    extra: extraOurs || extraPeer ? `unexpected publishes: ours ${extraOurs}, theirs ${extraPeer}` : '',
  };
}

const f = (ms: number) => ms.toFixed(2);

/**
 * The floor of an edit's time: the median round trip of a request no server knows (answered at
 * once with MethodNotFound by vscode-jsonrpc, which all three servers use), sent to both servers
 * at once as the edits are. Whatever an edit costs above it is the server's own work.
 */
async function roundTrips(ours: LspServer, peer: LspServer, n = 200): Promise<{ ours: number; peer: number }> {
  const time = async (s: LspServer) => {
    const t0 = performance.now();
    await s.conn.sendRequest('dlLifecycleBench/unknown', {}).catch(() => undefined);
    return performance.now() - t0;
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    // which server is written to first alternates
    const first = i % 2 ? time(ours) : time(peer);
    const second = i % 2 ? time(peer) : time(ours);
    const [x, y] = await Promise.all([first, second]);
    a.push(i % 2 ? x : y);
    b.push(i % 2 ? y : x);
  }
  return { ours: stats(a.slice(20)).median, peer: stats(b.slice(20)).median };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-lsp-bench-'));
  const rootUri = pathToFileURL(dir).href;
  const started = performance.now();
  const cases: Case[] = [
    { name: 'Dockerfile', slug: 'docker-50', file: 'Dockerfile', languageId: 'dockerfile', doc: dockerfile(50), peer: 'docker' },
    { name: 'Dockerfile', slug: 'docker-500', file: 'Dockerfile', languageId: 'dockerfile', doc: dockerfile(500), peer: 'docker' },
    { name: 'environment.yml', slug: 'conda-50', file: 'environment.yml', languageId: 'yaml', doc: environmentYml(50), peer: 'yaml' },
    { name: 'environment.yml', slug: 'conda-500', file: 'environment.yml', languageId: 'yaml', doc: environmentYml(500), peer: 'yaml' },
  ];
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    for (const which of ['docker', 'yaml'] as const) {
      const ours = await startOurs(rootUri);
      const peer = await startPeer(which, rootUri);
      try {
        notes.push(`${PEERS[which].name} ${PEERS[which].version} published ${await peerValidates(peer, which, rootUri)} diagnostic(s) for a broken document (it validates).`);
        for (const c of cases.filter((x) => x.peer === which)) rows.push(await runCase(c, ours, peer, rootUri));
        const floor = await roundTrips(ours, peer);
        notes.push(`Round trip of a request neither server knows (the JSON-RPC floor of an edit), median: ours ${f(floor.ours)} ms, ${PEERS[which].name} ${f(floor.peer)} ms.`);
      } finally {
        await stopServer(peer);
        await stopServer(ours);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(`${EDITS} edits per case after ${WARM_UP} warm-up edits; each edit replaces one version string (incremental didChange) and is timed from didChange sent to that version's publishDiagnostics received.`);
  console.log(`Debounce subtracted: ours ${OUR_DEBOUNCE} ms (DEBOUNCE_MS, server/src/workspace/validationDelay.ts) from the edits answered after it (documents whose last analysis took over IMMEDIATE_ANALYSIS_MS; the others are validated at once); yaml-language-server ${YAML_DEBOUNCE} ms (validationDelayMs); dockerfile-language-server-nodejs ${DOCKER_DEBOUNCE} ms (validates in its didChange handler).`);
  for (const n of notes) console.log(n);
  console.log('');
  console.log('| case | ours median ms | ours p95 ms | peer | peer median ms | peer p95 ms | ours/peer median | ours/peer p95 | ours ≤ 10 ms and ≤ 0.5× |');
  console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |');
  let allMet = true;
  for (const r of rows) {
    const ratio = r.ours.median / r.theirs.median;
    const met = r.ours.median <= 10 && ratio <= 0.5;
    allMet &&= met;
    console.log(`| ${r.case}, ${r.lines} lines | ${f(r.ours.median)} | ${f(r.ours.p95)} | ${r.peer} | ${f(r.theirs.median)} | ${f(r.theirs.p95)} | ${ratio.toFixed(2)}× | ${(r.ours.p95 / r.theirs.p95).toFixed(2)}× | ${met ? 'yes' : 'NO'} |`);
  }
  console.log('');
  for (const r of rows) {
    console.log(`${r.case}, ${r.lines} lines: medians with debounce: ours ${f(r.rawOurs)} ms (${r.debounced} of ${EDITS} edits debounced), theirs ${f(r.rawTheirs)} ms${r.extra ? `; ${r.extra}` : ''}`);
  }
  console.log(`\nBars (median ≤ 10 ms after the debounce, ≤ 0.5× the peer): ${allMet ? 'met' : 'NOT met'}. Section took ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  process.exit(1);
});
