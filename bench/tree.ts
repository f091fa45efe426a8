/**
 * A generated workspace for the CLI benchmark (`bench/cliVsRg.ts`): {@link TREE_FILES} files of the
 * kinds a machine-learning repository holds, in 40 project folders of 250 files, written
 * deterministically from a seed, so that every run (and every machine) scans the same bytes.
 * Files dl-lifecycle reads: pip requirements, Dockerfiles, Python (40% of it with SageMaker SDK
 * calls), notebooks (with image outputs), `pyproject.toml`, conda `environment.yml`, Terraform and
 * CloudFormation (half of each with a SageMaker model or DLAMI), CDK TypeScript and plain
 * TypeScript, Kubernetes YAML, JSON (a fifth with a DLC URI), shell scripts (half pulling a DLC).
 * Files it does not read: Markdown, CSV, PNG images and other binary blobs, and folders a
 * `.gitignore` leaves out (`build/` everywhere, `checkpoints/` in projects with their own
 * `.gitignore`; about 6% of the files). Sizes are spread log-uniformly from a few hundred bytes to
 * tens of KB (notebooks and CSVs up to ~80 KB): about 80 MB in all. The mix (`MIX`) is denser in
 * references than most repositories, so the scan's analysis is exercised, not only its walk.
 *
 * The tree is written once and reused while its manifest (beside the tree, `<root>.manifest.json`)
 * names the same {@link TREE_VERSION}, seed and file count; change the version when the generator's
 * output changes. Run alone with `node out/bench/tree.js [root]` to (re)write it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Bump when the generator writes different files for the same seed. */
export const TREE_VERSION = 3;
/** Default number of files (including the `.gitignore` files and the ignored ones). */
export const TREE_FILES = 10_000;
/** Default seed. */
export const TREE_SEED = 20261121;

/** What was written: every file of the tree, and the part the `.gitignore` files leave out. */
export interface TreeManifest {
  version: number;
  seed: number;
  /** Files written, `.gitignore` files included. */
  files: number;
  /** Bytes written. */
  bytes: number;
  /** Files (and bytes) under ignored folders. */
  ignoredFiles: number;
  ignoredBytes: number;
  /** Files per kind label (`python-sdk`, `csv`, …). */
  kinds: Record<string, number>;
}

/** Deterministic PRNG (mulberry32): numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
/** A size in bytes, log-uniform in [lo, hi]. */
const logSize = (r: Rand, lo: number, hi: number) => Math.round(lo * Math.pow(hi / lo, r()));

const TORCH = ['1.8.1', '1.10.2', '1.12.1', '1.13.1', '2.0.1', '2.1.0', '2.1.2', '2.2.0', '2.3.0', '2.4.0', '2.5.1', '2.6.0'];
const TF = ['2.4.1', '2.6.3', '2.9.1', '2.11.0', '2.12.0', '2.13.0', '2.14.1', '2.15.1', '2.16.1'];
const MX = ['1.6.0', '1.8.0', '1.9.1'];
const OTHER_PKGS = ['numpy', 'pandas', 'scipy', 'scikit-learn', 'boto3', 'sagemaker', 'transformers', 'datasets', 'accelerate', 'requests', 'pyyaml', 'tqdm', 'matplotlib', 'seaborn', 'pillow', 'opencv-python', 'fastapi', 'uvicorn', 'gunicorn', 'pytest', 'black', 'mypy', 'click', 'rich', 'pydantic', 'sqlalchemy', 'xgboost', 'lightgbm', 'onnx', 'onnxruntime'];
const FRAMEWORK_PKGS: Array<[string, readonly string[]]> = [['torch', TORCH], ['tensorflow', TF], ['tensorflow-gpu', TF], ['mxnet', MX], ['torchvision', ['0.14.1', '0.15.2', '0.16.0', '0.18.0']]];
const DLC_REPOS = ['pytorch-training', 'pytorch-inference', 'tensorflow-training', 'tensorflow-inference', 'huggingface-pytorch-training', 'huggingface-pytorch-inference', 'mxnet-training'];
const DLC_TAGS = ['1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker', '2.0.1-gpu-py310-cu118-ubuntu20.04-sagemaker', '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker', '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker', '2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker', '2.14.1-gpu-py310-cu118-ubuntu20.04-sagemaker', '2.13.0-cpu-py310-ubuntu20.04-sagemaker', '1.9.0-gpu-py38-cu112-ubuntu20.04'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1'];
const DLAMIS = ['Deep Learning AMI GPU PyTorch 1.13.1 (Ubuntu 20.04) *', 'Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.3.0 (Ubuntu 20.04) *', 'Deep Learning AMI GPU TensorFlow 2.12 (Amazon Linux 2) *'];
const WORDS = ['model', 'data', 'batch', 'epoch', 'loss', 'train', 'eval', 'score', 'feature', 'label', 'weight', 'layer', 'token', 'vocab', 'config', 'metric', 'sample', 'split', 'shard', 'cache', 'bucket', 'prefix', 'region', 'endpoint', 'variant', 'job', 'step', 'pipeline', 'input', 'output'];

const dlcUri = (r: Rand) => `763104351884.dkr.ecr.${pick(r, REGIONS)}.amazonaws.com/${pick(r, DLC_REPOS)}:${pick(r, DLC_TAGS)}`;
const ident = (r: Rand) => `${pick(r, WORDS)}_${pick(r, WORDS)}${int(r, 0, 99)}`;
const words = (r: Rand, n: number) => Array.from({ length: n }, () => pick(r, WORDS)).join(' ');

/** Appends blocks from `more` until `head` reaches `size` bytes (at least one block is not needed). */
function fill(head: string, size: number, more: () => string, tail = ''): string {
  const parts = [head];
  let n = head.length + tail.length;
  while (n < size) {
    const b = more();
    parts.push(b);
    n += b.length;
  }
  parts.push(tail);
  return parts.join('');
}

const pyFunction = (r: Rand) => {
  const name = ident(r);
  const a = ident(r);
  const b = ident(r);
  return `\n\ndef ${name}(${a}, ${b}=None):\n    """${words(r, int(r, 4, 12))}."""\n    result = []\n    for i, item in enumerate(${a}):\n        if ${b} is not None and i % ${int(r, 2, 9)} == 0:\n            result.append(item * ${int(r, 1, 100)} + len(${b}))\n        else:\n            result.append({"${pick(r, WORDS)}": item, "${pick(r, WORDS)}": i})\n    return result\n`;
};

function python(r: Rand, size: number, sdk: boolean): string {
  let head = `"""${words(r, int(r, 5, 15))}."""\nimport os\nimport json\nimport logging\n\nimport numpy as np\n\nlogger = logging.getLogger(__name__)\n`;
  if (sdk) {
    const est = pick(r, [
      `PyTorch(entry_point="train.py", role=role, framework_version="${pick(r, TORCH)}", py_version="py3${int(r, 8, 11)}", instance_count=1, instance_type="ml.p3.2xlarge")`,
      `TensorFlow(entry_point="train.py", role=role, framework_version="${pick(r, TF)}", py_version="py310", instance_type="ml.g5.xlarge")`,
      `HuggingFace(entry_point="train.py", role=role, transformers_version="4.26", pytorch_version="1.13", py_version="py39")`,
      `PyTorch(entry_point="train.py", role=role, image_uri="${dlcUri(r)}", instance_type="ml.p3.2xlarge")`,
    ]);
    head += `\nimport sagemaker\nfrom sagemaker.pytorch import PyTorch\nfrom sagemaker.tensorflow import TensorFlow\nfrom sagemaker.huggingface import HuggingFace\nfrom sagemaker import image_uris\n\nrole = os.environ.get("SAGEMAKER_ROLE", "arn:aws:iam::111122223333:role/sagemaker")\nestimator = ${est}\nuri = image_uris.retrieve(framework="pytorch", region="${pick(r, REGIONS)}", version="${pick(r, TORCH)}", py_version="py310", instance_type="ml.g5.xlarge", image_scope="inference")\n`;
  }
  return fill(head, size, () => pyFunction(r), '\n\nif __name__ == "__main__":\n    logging.basicConfig(level=logging.INFO)\n');
}

function requirements(r: Rand, size: number): string {
  const head = `# ${words(r, 6)}\n`;
  const line = () => {
    if (r() < 0.25) {
      const [name, versions] = pick(r, FRAMEWORK_PKGS);
      return `${name}${pick(r, ['==', '==', '>=', '~='])}${pick(r, versions)}${r() < 0.2 ? '  # pinned for the trained model' : ''}\n`;
    }
    return `${pick(r, OTHER_PKGS)}${pick(r, ['==', '>=', '<', '~='])}${int(r, 0, 4)}.${int(r, 0, 30)}.${int(r, 0, 9)}\n`;
  };
  return fill(head, Math.min(size, 6000), line);
}

function dockerfile(r: Rand, size: number): string {
  const base = r() < 0.6 ? dlcUri(r) : pick(r, ['python:3.10-slim', 'python:3.8-slim', 'nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04', 'ubuntu:22.04']);
  const head = `# ${words(r, 8)}\nARG REGION=${pick(r, REGIONS)}\nFROM ${base} AS build\n\nRUN pip install --no-cache-dir ${pick(r, FRAMEWORK_PKGS)[0]}==${pick(r, TORCH)} ${pick(r, OTHER_PKGS)}\n`;
  return fill(head, Math.min(size, 8000), () => `RUN apt-get update && apt-get install -y --no-install-recommends ${pick(r, ['curl', 'git', 'wget', 'unzip', 'libgl1', 'build-essential'])} \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY ${ident(r)}.py /opt/ml/code/\nENV ${ident(r).toUpperCase()}=${int(r, 0, 9999)}\n`, '\nENTRYPOINT ["python", "/opt/ml/code/train.py"]\n');
}

function notebook(r: Rand, size: number): string {
  const cells: string[] = [];
  const code = (lines: string[], outputs = '[]') => `  {\n   "cell_type": "code",\n   "execution_count": ${int(r, 1, 99)},\n   "metadata": {},\n   "outputs": ${outputs},\n   "source": [\n${lines.map((l) => `    ${JSON.stringify(l)}`).join(',\n')}\n   ]\n  }`;
  cells.push(`  {\n   "cell_type": "markdown",\n   "metadata": {},\n   "source": [\n    ${JSON.stringify(`# ${words(r, 6)}\n`)}\n   ]\n  }`);
  cells.push(code([`%pip install -q torch==${pick(r, TORCH)} sagemaker\n`]));
  cells.push(code(['import sagemaker\n', 'from sagemaker.pytorch import PyTorch\n', '\n', `est = PyTorch(entry_point="train.py", framework_version="${pick(r, TORCH)}", py_version="py310", role=role, instance_type="ml.g5.2xlarge")\n`]));
  let n = cells.join(',\n').length + 300;
  while (n < size) {
    let c: string;
    if (r() < 0.3) {
      // an image output: tens of KB of base64 in real notebooks
      const png = Buffer.from(Array.from({ length: int(r, 600, 6000) }, () => int(r, 0, 255))).toString('base64');
      c = code([`plt.plot(${ident(r)})\n`, 'plt.show()\n'], `[\n    {\n     "data": { "image/png": "${png}", "text/plain": ["<Figure>"] },\n     "metadata": {},\n     "output_type": "display_data"\n    }\n   ]`);
    } else {
      c = code(pyFunction(r).split('\n').map((l) => `${l}\n`));
    }
    cells.push(c);
    n += c.length;
  }
  return `{\n "cells": [\n${cells.join(',\n')}\n ],\n "metadata": {\n  "kernelspec": { "display_name": "Python 3", "language": "python", "name": "python3" }\n },\n "nbformat": 4,\n "nbformat_minor": 5\n}\n`;
}

function pyproject(r: Rand): string {
  const deps = Array.from({ length: int(r, 3, 20) }, () => (r() < 0.3 ? `"${pick(r, FRAMEWORK_PKGS)[0]}==${pick(r, TORCH)}"` : `"${pick(r, OTHER_PKGS)}>=${int(r, 0, 4)}.${int(r, 0, 20)}"`));
  return `[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "${ident(r).replace(/_/g, '-')}"\nversion = "0.${int(r, 1, 9)}.0"\nrequires-python = ">=3.${int(r, 8, 11)}"\ndependencies = [\n  ${deps.join(',\n  ')},\n]\n\n[project.optional-dependencies]\ndev = ["pytest>=8", "ruff>=0.4"]\n\n[tool.ruff]\nline-length = 120\n`;
}

function conda(r: Rand): string {
  const deps = Array.from({ length: int(r, 4, 30) }, () => (r() < 0.3 ? `  - pytorch=${pick(r, TORCH)}` : `  - ${pick(r, OTHER_PKGS)}>=${int(r, 0, 4)}.${int(r, 0, 20)}`));
  return `name: ${ident(r)}\nchannels:\n  - ${pick(r, ['pytorch', 'conda-forge', 'defaults'])}\n  - conda-forge\ndependencies:\n  - python=3.${int(r, 8, 11)}\n${deps.join('\n')}\n  - pip\n  - pip:\n    - tensorflow==${pick(r, TF)}\n    - ${pick(r, OTHER_PKGS)}\n`;
}

function terraform(r: Rand, size: number): string {
  const plain = r() < 0.5;
  const head = plain ? `variable "env" {\n  type    = string\n  default = "${pick(r, ['dev', 'staging', 'prod'])}"\n}\n` : `variable "region" {\n  type    = string\n  default = "${pick(r, REGIONS)}"\n}\n\nresource "aws_sagemaker_model" "${ident(r)}" {\n  name               = "${ident(r)}"\n  execution_role_arn = aws_iam_role.sagemaker.arn\n\n  primary_container {\n    image = "${dlcUri(r)}"\n  }\n}\n\ndata "aws_ami" "dlami" {\n  most_recent = true\n  owners      = ["amazon"]\n  filter {\n    name   = "name"\n    values = ["${pick(r, DLAMIS)}"]\n  }\n}\n`;
  return fill(head, Math.min(size, 12000), () => `\nresource "aws_s3_bucket" "${ident(r)}" {\n  bucket = "${ident(r).replace(/_/g, '-')}"\n  tags = {\n    Team    = "${pick(r, WORDS)}"\n    Purpose = "${words(r, 3)}"\n  }\n}\n`);
}

function cdk(r: Rand, size: number, isCdk: boolean): string {
  const head = isCdk
    ? `import * as cdk from 'aws-cdk-lib';\nimport * as sagemaker from 'aws-cdk-lib/aws-sagemaker';\nimport * as ec2 from 'aws-cdk-lib/aws-ec2';\nimport { Construct } from 'constructs';\n\nexport class ${pick(r, ['Inference', 'Training', 'Batch'])}Stack extends cdk.Stack {\n  constructor(scope: Construct, id: string, props?: cdk.StackProps) {\n    super(scope, id, props);\n    new sagemaker.CfnModel(this, 'Model', {\n      executionRoleArn: 'arn:aws:iam::111122223333:role/sagemaker',\n      primaryContainer: { image: '${dlcUri(r)}' },\n    });\n    const ami = ec2.MachineImage.lookup({ name: '${pick(r, DLAMIS)}', owners: ['amazon'] });\n    new cdk.CfnOutput(this, 'Ami', { value: ami.toString() });\n  }\n}\n`
    : `import { readFileSync } from 'node:fs';\n\nexport interface ${pick(r, ['Row', 'Item', 'Entry'])} { id: number; name: string }\n`;
  return fill(head, Math.min(size, 15000), () => `\nexport function ${ident(r)}(items: Array<{ id: number; name: string }>, limit = ${int(r, 1, 100)}): string[] {\n  // ${words(r, 8)}\n  return items.filter((x) => x.id % ${int(r, 2, 9)} === 0).slice(0, limit).map((x) => \`\${x.name}-${pick(r, WORDS)}\`);\n}\n`);
}

function yamlFile(r: Rand, size: number, k8s: boolean): string {
  const head = k8s
    ? `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${ident(r).replace(/_/g, '-')}\nspec:\n  replicas: ${int(r, 1, 5)}\n  template:\n    spec:\n      containers:\n        - name: server\n          image: ${r() < 0.5 ? dlcUri(r) : 'nginx:1.25'}\n          ports:\n            - containerPort: 8080\n`
    : r() < 0.5
      ? `AWSTemplateFormatVersion: "2010-09-09"\nDescription: ${words(r, 6)}\nResources:\n`
      : `AWSTemplateFormatVersion: "2010-09-09"\nDescription: ${words(r, 6)}\nResources:\n  Model:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: !GetAtt Role.Arn\n      PrimaryContainer:\n        Image: !Sub "763104351884.dkr.ecr.\${AWS::Region}.amazonaws.com/${pick(r, DLC_REPOS)}:${pick(r, DLC_TAGS)}"\n`;
  return fill(head, Math.min(size, 12000), () =>
    k8s
      ? `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${ident(r).replace(/_/g, '-')}\ndata:\n  ${pick(r, WORDS)}: "${words(r, 4)}"\n  ${pick(r, WORDS)}: "${int(r, 0, 1e6)}"\n`
      : `  ${pick(r, ['Bucket', 'Queue', 'Topic'])}${int(r, 0, 99999)}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: ${ident(r).replace(/_/g, '-')}\n      Tags:\n        - Key: team\n          Value: ${pick(r, WORDS)}\n`,
  );
}

function jsonFile(r: Rand, size: number): string {
  const rows: string[] = [];
  if (r() < 0.2) rows.push(`  "containerDefinitions": [{ "name": "app", "image": "${dlcUri(r)}", "memory": 4096 }]`);
  let n = 10;
  while (n < Math.min(size, 20000)) {
    const row = `  "${ident(r)}": { "${pick(r, WORDS)}": ${int(r, 0, 1e6)}, "${pick(r, WORDS)}": "${words(r, 3)}", "enabled": ${r() < 0.5} }`;
    rows.push(row);
    n += row.length + 2;
  }
  return `{\n${rows.join(',\n')}\n}\n`;
}

function shell(r: Rand, size: number): string {
  const head = r() < 0.5 ? `#!/usr/bin/env bash\nset -euo pipefail\n\ncd "$(dirname "$0")/.."\n` : `#!/usr/bin/env bash\nset -euo pipefail\n\nREGION=\${REGION:-${pick(r, REGIONS)}}\naws ecr get-login-password --region "$REGION" | docker login --username AWS --password-stdin 763104351884.dkr.ecr.$REGION.amazonaws.com\ndocker pull ${dlcUri(r)}\npip install torch==${pick(r, TORCH)}\n`;
  return fill(head, Math.min(size, 6000), () => `\n# ${words(r, 6)}\nfor f in ${pick(r, WORDS)}/*.json; do\n  echo "processing $f"\n  python -m ${pick(r, WORDS)}.${pick(r, WORDS)} --input "$f" --batch-size ${int(r, 1, 512)}\ndone\n`);
}

function markdown(r: Rand, size: number): string {
  return fill(`# ${words(r, 4)}\n\nBuilt on \`${dlcUri(r)}\`.\n`, size, () => `\n## ${words(r, 3)}\n\n${words(r, int(r, 20, 80))}.\n\n\`\`\`bash\npip install torch==${pick(r, TORCH)}\n\`\`\`\n`);
}

function csv(r: Rand, size: number): string {
  return fill('id,epoch,loss,accuracy,learning_rate,split\n', size, () => `${int(r, 0, 1e6)},${int(r, 0, 200)},${r().toFixed(6)},${r().toFixed(4)},${(r() / 100).toFixed(6)},${pick(r, ['train', 'eval', 'test'])}\n`);
}

function binary(r: Rand, size: number, png: boolean): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = Math.floor(r() * 256);
  if (png) Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(b);
  else b[int(r, 0, Math.min(size, 8000) - 1)] = 0;
  return b;
}

/** One file of a project: its path inside the project, its kind label and its content. */
type Entry = { rel: string; label: string; content: string | Buffer };

/** The kinds of files and their shares (weights) in the tree. */
const MIX: Array<[number, (r: Rand, i: number) => Entry]> = [
  [14, (r, i) => ({ rel: `src/${ident(r)}_${i}.py`, label: 'python', content: python(r, logSize(r, 300, 40000), false) })],
  [8, (r, i) => ({ rel: `src/jobs/${ident(r)}_${i}.py`, label: 'python-sdk', content: python(r, logSize(r, 800, 30000), true) })],
  [5, (r, i) => ({ rel: pick(r, [`requirements-${i}.txt`, `services/s${i}/requirements.txt`, `requirements/${ident(r)}.txt`]), label: 'requirements', content: requirements(r, logSize(r, 200, 6000)) })],
  [4, (r, i) => ({ rel: pick(r, [`docker/${ident(r)}/Dockerfile`, `Dockerfile.${ident(r)}${i}`]), label: 'dockerfile', content: dockerfile(r, logSize(r, 300, 6000)) })],
  [4, (r, i) => ({ rel: `notebooks/${ident(r)}_${i}.ipynb`, label: 'notebook', content: notebook(r, logSize(r, 3000, 80000)) })],
  [1, (r, i) => ({ rel: `packages/p${i}/pyproject.toml`, label: 'pyproject', content: pyproject(r) })],
  [1, (r, i) => ({ rel: `envs/${ident(r)}${i}/environment.yml`, label: 'conda', content: conda(r) })],
  [4, (r, i) => ({ rel: `infra/terraform/${ident(r)}_${i}.tf`, label: 'terraform', content: terraform(r, logSize(r, 500, 12000)) })],
  [3, (r, i) => ({ rel: `infra/cdk/lib/${ident(r)}-${i}.ts`, label: 'cdk', content: cdk(r, logSize(r, 800, 15000), true) })],
  [4, (r, i) => ({ rel: `web/src/${ident(r)}-${i}.ts`, label: 'typescript', content: cdk(r, logSize(r, 300, 15000), false) })],
  [3, (r, i) => ({ rel: `infra/cfn/${ident(r)}_${i}.yaml`, label: 'cloudformation', content: yamlFile(r, logSize(r, 400, 12000), false) })],
  [3, (r, i) => ({ rel: `deploy/k8s/${ident(r)}_${i}.yaml`, label: 'kubernetes', content: yamlFile(r, logSize(r, 400, 12000), true) })],
  [7, (r, i) => ({ rel: `config/${ident(r)}_${i}.json`, label: 'json', content: jsonFile(r, logSize(r, 200, 20000)) })],
  [4, (r, i) => ({ rel: `scripts/${ident(r)}_${i}.sh`, label: 'shell', content: shell(r, logSize(r, 300, 6000)) })],
  [10, (r, i) => ({ rel: `docs/${ident(r)}_${i}.md`, label: 'markdown', content: markdown(r, logSize(r, 300, 30000)) })],
  [8, (r, i) => ({ rel: `data/${ident(r)}_${i}.csv`, label: 'csv', content: csv(r, logSize(r, 500, 80000)) })],
  [6, (r, i) => ({ rel: `assets/${ident(r)}_${i}.png`, label: 'image', content: binary(r, logSize(r, 1000, 60000), true) })],
  [2, (r, i) => ({ rel: `models/${ident(r)}_${i}.bin`, label: 'binary', content: binary(r, logSize(r, 1000, 60000), false) })],
];
const TOTAL_WEIGHT = MIX.reduce((s, [w]) => s + w, 0);

/** Files per project folder (`p000/`, …). */
const PER_PROJECT = 250;
/** Share of files written under a folder a `.gitignore` leaves out. */
const IGNORED_SHARE = 0.06;

/**
 * Writes the tree under `root` (removed first) unless its manifest says it was written with the
 * same version, seed and file count; returns the manifest. Paths are deterministic; file mtimes are not.
 */
export function ensureTree(root: string, seed = TREE_SEED, files = TREE_FILES): TreeManifest & { reused: boolean } {
  const manifestFile = `${root}.manifest.json`;
  if (existsSync(manifestFile) && existsSync(root)) {
    try {
      const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as TreeManifest;
      if (m.version === TREE_VERSION && m.seed === seed && m.files === files) return { ...m, reused: true };
    } catch {
      /* rewrite below */
    }
  }
  rmSync(root, { recursive: true, force: true });
  rmSync(manifestFile, { force: true });
  const r = rng(seed);
  const m: TreeManifest = { version: TREE_VERSION, seed, files: 0, bytes: 0, ignoredFiles: 0, ignoredBytes: 0, kinds: {} };
  const write = (rel: string, content: string | Buffer, ignored: boolean, label: string) => {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    const n = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
    m.files++;
    m.bytes += n;
    m.kinds[label] = (m.kinds[label] ?? 0) + 1;
    if (ignored) {
      m.ignoredFiles++;
      m.ignoredBytes += n;
    }
  };
  write('.gitignore', '# build output and local environments\nbuild/\n.venv/\n*.log\n', false, 'gitignore');
  let nested = false;
  for (let i = 0; m.files < files; i++) {
    const project = `p${String(Math.floor(i / PER_PROJECT)).padStart(3, '0')}`;
    // some projects leave their checkpoints out too (a nested .gitignore)
    if (i % PER_PROJECT === 0) {
      nested = r() < 0.3 && m.files < files - 1;
      if (nested) write(`${project}/.gitignore`, 'checkpoints/\n', false, 'gitignore');
    }
    let x = r() * TOTAL_WEIGHT;
    const make = MIX.find(([w]) => (x -= w) < 0)?.[1] ?? MIX[0][1];
    const e = make(r, i);
    const ignored = r() < IGNORED_SHARE;
    const folder = !ignored ? '' : nested && r() < 0.5 ? 'checkpoints' : 'build/lib';
    write(path.posix.join(project, folder, e.rel), e.content, ignored, e.label);
  }
  writeFileSync(manifestFile, `${JSON.stringify(m, null, 2)}\n`);
  return { ...m, reused: false };
}

// run alone (`node out/bench/tree.js [root]`), not when bundled into the bench that imports it
if (require.main === module && /^tree\.[jt]s$/.test(path.basename(__filename))) {
  const root = path.resolve(process.argv[2] ?? 'out/bench/tree');
  const t0 = performance.now();
  const m = ensureTree(root);
  console.log(`${m.reused ? 'reused' : 'wrote'} ${m.files} files, ${(m.bytes / 1e6).toFixed(1)} MB under ${root} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
