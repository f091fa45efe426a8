import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

/** Runs the built CLI without blocking this process (the test's HTTP server must keep answering). */
function run(args: string[], cacheDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', DL_LIFECYCLE_CACHE_DIR: cacheDir, HTTPS_PROXY: '', HTTP_PROXY: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const SDK_PYTORCH = { training: { version_aliases: { '2.16': '2.16.0' }, versions: { '2.16.0': {} } } };
const EOL_PYTHON = { result: { releases: [{ name: '3.15', releaseDate: '2026-10-01', eolFrom: '2031-10-31', latest: { name: '3.15.0' } }] } };

describe('dl-lifecycle explain and catalog (built CLI)', () => {
  let dir: string;
  let base: string;
  const server = createServer((req, res) => {
    if (req.url === '/sdk/pytorch.json') res.end(JSON.stringify(SDK_PYTORCH));
    else if (req.url?.startsWith('/sdk/')) res.end(JSON.stringify({ training: { versions: {} } }));
    else if (req.url === '/eol/python/') res.end(JSON.stringify(EOL_PYTHON));
    else if (req.url?.startsWith('/eol/')) res.end(JSON.stringify({ result: { releases: [{ name: 'x', eolFrom: '2030-01-01' }] } }));
    else {
      res.writeHead(500);
      res.end();
    }
  });
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-catalog-cli-'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('explain prints what a hover says about a framework version, in text and JSON', async () => {
    const text = await run(['explain', 'pytorch', '1.13', '--as-of', '2026-11-21'], dir);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^PyTorch 1\.13 \(pytorch 1\.13\)/);
    assert.match(text.stdout, /End of patch\s+2024-10-28 \(754 days ago\)/);
    assert.match(text.stdout, /warning end-of-patch: PyTorch 1\.13 reached end of patch on 2024-10-28/);
    const json = await run(['explain', 'torch==2.13.0', '--as-of', '2026-11-21', '--format', 'json'], dir);
    assert.equal(json.code, 0, json.stderr);
    const e = JSON.parse(json.stdout);
    assert.equal(e.kind, 'framework-version');
    assert.equal(e.title, 'PyTorch 2.13');
    assert.deepEqual(e.findings, [], 'PyTorch 2.13 is supported on 2026-11-21');
    const bad = await run(['explain', 'caffe', '1.0'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown framework 'caffe'/);
  });

  it('explain reads a DLC image URI: registry, published tag, its parts, Python/OS end of life, framework lifecycle, nearest supported tags', async () => {
    const uri = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';
    const r = await run(['explain', uri, '--as-of', '2026-11-21', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const e = JSON.parse(r.stdout);
    assert.equal(e.kind, 'dlc-image');
    const fact = (label: string) => e.facts.find((f: { label: string }) => f.label === label)?.value as string | undefined;
    assert.equal(fact('Registry'), '763104351884 serves DLC images in us-east-1');
    assert.match(fact('Published') ?? '', /^yes/);
    assert.match(fact('Tag parts') ?? '', /frameworkVersion 2\.1\.0, processor gpu, python py310, cuda cu121, os ubuntu20\.04, platform sagemaker/);
    assert.match(fact('Python 3.10') ?? '', /end of life 2026-10-31 \(past\)/);
    assert.match(fact('End of patch') ?? '', /^2024-10-04/);
    assert.match(fact('Nearest supported tags') ?? '', /-gpu-py3\d+-cu\d+-ubuntu\d+\.\d+-sagemaker/);
    assert.deepEqual(e.findings.map((f: { rule: string }) => f.rule), ['end-of-patch']);
    const wrongAccount = await run(['explain', uri.replace('us-east-1', 'ap-east-1'), '--as-of', '2026-11-21', '--format', 'json'], dir);
    assert.match(JSON.parse(wrongAccount.stdout).facts[0].value, /ap-east-1's DLC account is 871362719292, not 763104351884/);
    const unpublished = await run(['explain', uri.replace('2.1.0-gpu', '2.1.7-gpu'), '--as-of', '2026-11-21', '--format', 'json'], dir);
    assert.match(JSON.parse(unpublished.stdout).facts.find((f: { label: string }) => f.label === 'Published').value, /^no/);
  });

  it('explain reads a Neuron package pin: its SDK release, what ships with it, and announcements', async () => {
    const r = await run(['explain', 'torch-neuronx==2.1.2.2.3.0', '--as-of', '2026-11-21', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const e = JSON.parse(r.stdout);
    assert.equal(e.kind, 'neuron-package');
    const fact = (label: string) => e.facts.find((f: { label: string }) => f.label === label)?.value as string | undefined;
    assert.equal(fact('Framework part'), 'pytorch 2.1.2 (Neuron part 2.3.0)');
    assert.equal(fact('Neuron SDK releases'), '2.20.0 (2024-09-16)');
    assert.match(e.status, /Belongs to Neuron 2\.20\.0; the latest release is 2\.32\.0/);
    assert.ok(e.facts.some((f: { value: string }) => /end of support for PyTorch 2\.1/i.test(f.value)));
    assert.deepEqual(e.findings.map((f: { rule: string }) => f.rule).sort(), ['neuron-end-of-support', 'neuron-sdk-outdated']);
  });

  it('explain reads a DLAMI name filter or SSM parameter path: family, framework end of patch, OS end of life', async () => {
    const r = await run(['explain', 'Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *', '--as-of', '2026-11-21', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const e = JSON.parse(r.stdout);
    assert.equal(e.kind, 'dlami');
    assert.match(e.title, /^PyTorch 2\.0 DLAMI/);
    assert.ok(e.findings.some((f: { rule: string }) => f.rule === 'end-of-patch'), JSON.stringify(e.findings));
    const ssm = await run(['explain', '/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id', '--as-of', '2026-11-21', '--format', 'json'], dir);
    assert.equal(ssm.code, 0, ssm.stderr);
    assert.deepEqual(JSON.parse(ssm.stdout).findings.map((f: { rule: string }) => f.rule).sort(), ['end-of-patch', 'os-end-of-life']);
    const other = await run(['explain', 'Deep Learning is fun', '--as-of', '2026-11-21'], dir);
    assert.equal(other.code, 2);
  });

  it('catalog status says there is no refreshed data, and flags a stale bundled catalog', async () => {
    const fresh = await run(['catalog', 'status', '--as-of', '2026-11-21'], dir);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.match(fresh.stdout, /^Bundled catalog dated \d{4}-\d{2}-\d{2}/);
    assert.match(fresh.stdout, /Refreshed data: none/);
    const stale = await run(['catalog', 'status', '--as-of', '2027-12-31', '--format', 'json'], dir);
    assert.equal(JSON.parse(stale.stdout).bundled.stale, true);
  });

  it('catalog update fetches from the configured URLs, writes the cache, and scan and explain use it', async () => {
    const r = await run(['catalog', 'update', '--sagemaker-url', `${base}/sdk/`, '--endoflife-url', `${base}/eol/`], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /updated SageMaker Python SDK image URI config/);
    assert.ok(existsSync(path.join(dir, 'catalog-cache.json')));
    const cache = JSON.parse(readFileSync(path.join(dir, 'catalog-cache.json'), 'utf8'));
    assert.deepEqual(Object.keys(cache.entries).sort(), ['endoflife', 'sagemaker']);
    const status = await run(['catalog', 'status', '--format', 'json'], dir);
    assert.deepEqual(JSON.parse(status.stdout).refreshed.map((s: { source: string }) => s.source).sort(), ['endoflife', 'sagemaker']);
    const known = await run(['explain', 'pytorch', '2.16', '--as-of', '2026-11-21', '--format', 'json'], dir);
    assert.equal(known.code, 0, known.stderr);
    assert.equal(JSON.parse(known.stdout).title, 'PyTorch 2.16', 'the refreshed SDK config taught the catalog PyTorch 2.16');
    const bundledOnly = await run(['explain', 'pytorch', '2.16', '--as-of', '2026-11-21', '--format', 'json', '--no-cache'], dir);
    assert.notEqual(JSON.parse(bundledOnly.stdout).title, undefined);
    assert.match(JSON.parse(bundledOnly.stdout).status, /No release known to the catalog|No end-of-patch date/);
  });

  it('explain reads public ECR and placeholder registries through the image recogniser', async () => {
    const pub = JSON.parse((await run(['explain', 'public.ecr.aws/neuron/pytorch-inference-neuronx:2.9.0-neuronx-py312-sdk2.31.1-ubuntu24.04', '--as-of', '2026-11-21', '--format', 'json'], dir)).stdout);
    assert.equal(pub.facts[0].value, 'ECR Public (neuron)');
    const placeholder = JSON.parse((await run(['explain', '763104351884.dkr.ecr.{region}.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker', '--as-of', '2026-11-21', '--format', 'json'], dir)).stdout);
    assert.match(placeholder.facts[0].value, /placeholder/);
    assert.equal(placeholder.kind, 'dlc-image');
  });

  it('catalog status measures staleness from the newest data: the bundled date or the latest refresh', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-stale-'));
    try {
      writeFileSync(path.join(other, 'catalog-cache.json'), JSON.stringify({ cache_version: 1, entries: { endoflife: { source: 'endoflife', urls: ['https://example.org/'], fetched: '2027-03-01', parts: {} } } }));
      const refreshed = JSON.parse((await run(['catalog', 'status', '--as-of', '2027-04-01', '--format', 'json'], other)).stdout);
      assert.equal(refreshed.bundled.newestData, '2027-03-01');
      assert.equal(refreshed.bundled.stale, false);
      const bundledOnly = JSON.parse((await run(['catalog', 'status', '--as-of', '2027-04-01', '--format', 'json', '--no-cache'], other)).stdout);
      assert.equal(bundledOnly.bundled.stale, true);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('catalog update with a failing source exits 1 with one line per failure and keeps the cache', async () => {
    const before = readFileSync(path.join(dir, 'catalog-cache.json'));
    const r = await run(['catalog', 'update', '--sagemaker-url', `${base}/missing/`, '--endoflife-url', 'none', '--timeout', '2'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /HTTP 500.*the last good data stays in force/);
    assert.deepEqual(readFileSync(path.join(dir, 'catalog-cache.json')), before);
    const usage = await run(['catalog', 'update', '--sagemaker-url', 'ftp://x'], dir);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--sagemaker-url must be an http\(s\) URL or 'none'/);
  });
});
