/**
 * Realistic generated documents of every file kind (`FILE_KINDS` in server/src/scanners/fileKinds.ts),
 * of any number of lines, for the benchmarks. Each document has the kind's structure (a notebook of
 * many cells, a CloudFormation template of many resources, Terraform of many variables, resources
 * and data sources, a CDK stack of many statements, …) and mixes the references dl-lifecycle reads
 * (framework pins, DLC image URIs, DLAMI names and SSM paths, SageMaker SDK calls, Neuron pins,
 * conda channels, Elastic Inference accelerators, suppression comments) with ordinary lines and
 * comments, as real files do. Versions and names rotate so that lines are not all alike.
 *
 * Framework pins, images, DLAMIs and SDK calls repeat through the document (each is judged on its
 * own, so repeating them measures the per-reference cost). Neuron packages are pinned once per
 * document, in its frame, as a real file pins each package once: the Neuron rules judge a file's
 * Neuron pins together (`neuron-mixed-releases`, the align fix that every Neuron pin carries), so
 * their output, and cost, grow with the square of the number of Neuron pins. They are Neuron's
 * compiler and libraries, not a framework build such as `torch-neuronx`: a framework build is
 * checked against every pin of its framework in the file, and `neuron-mixed-releases` names each
 * pin that disagrees, so beside the thousands of `torch` pins of a large generated file its message
 * would list them all (megabytes at 100,000 lines) where a real file pins `torch` once.
 *
 * Every document is built from fixed lines (its frame) and repeated units; the units fill the line
 * budget and kind-appropriate filler lines (comments, padding keys) make up the exact count. The
 * frame of each kind is at most 30 lines, so 50 lines is the smallest useful size.
 *
 * Deterministic: the same kind and line count always give the same text.
 */

/** One generated document: the path it is analysed as (its kind matches by name) and its text. */
export interface GeneratedDocument {
  /** A workspace-relative path whose name selects the kind (`requirements.txt`, `Dockerfile`, …). */
  path: string;
  /** The text: exactly the requested number of lines, each ended by `\n`. */
  text: string;
}

/** A part of a document: fixed lines, or a unit repeated to fill its share of the line budget. */
type Part = string[] | { unit: (i: number) => string[]; weight?: number };

/** How a kind's document is built: its parts, and the filler line that pads the given part. */
interface Recipe {
  path: string;
  parts: Part[];
  /** Index into `parts` after which filler lines go (they must be valid there). */
  fillAfter: number;
  filler: (i: number) => string;
}

const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length];

/** DLC image URIs in the forms found in the wild: private ECR of the DLC account in several regions, public ECR, Neuron DLCs. */
export const DLC_URIS = [
  '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker',
  '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker',
  '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.14.1-gpu-py310-cu118-ubuntu20.04-sagemaker',
  '763104351884.dkr.ecr.eu-west-1.amazonaws.com/huggingface-pytorch-inference:1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04',
  'public.ecr.aws/deep-learning-containers/pytorch-training:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker',
  '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference-neuronx:2.1.2-neuronx-py310-sdk2.18.2-ubuntu20.04',
  '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.8.0-gpu-py36-cu111-ubuntu18.04',
];
/** DLC tags (for the repository + tag forms of CDK, Terraform and CloudFormation). */
export const DLC_TAGS = ['2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker', '1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker', '2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker', '2.0.1-cpu-py310-ubuntu20.04-sagemaker'];
/** DLAMI names and name filters. */
export const DLAMI_NAMES = [
  'Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *',
  'Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.1.0 (Ubuntu 20.04) *',
  'Deep Learning AMI GPU TensorFlow 2.6.2 (Amazon Linux 2) 20211111',
  'Deep Learning AMI GPU PyTorch 1.13.1 (Ubuntu 20.04) 20230315',
];
/** A DLAMI SSM parameter path. */
export const DLAMI_SSM = '/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id';
/** Framework pins in PEP 508 form. */
export const FRAMEWORK_PINS = ['torch==1.13.1', 'torch==2.1.0', 'tensorflow==2.14.1', 'tensorflow-gpu>=2.4,<2.5', 'mxnet-cu112==1.9.1', 'torch[cuda]==2.12.0+cu121', 'tensorflow-cpu~=2.11.0', 'torch>=2.0,<2.2'];
/** Neuron package pins in PEP 508 form. */
export const NEURON_PINS = ['neuronx-cc==2.13.66.0', 'neuronx-distributed==0.7.0', 'transformers-neuronx==0.10.0.360', 'libneuronxla==0.5.971'];
/** Ordinary (not reported) package pins. */
export const PLAIN_PINS = ['numpy==1.26.4', 'pandas[performance]~=2.2.0', 'scikit-learn>=1.3,<1.5', 'requests==2.31.0', 'boto3==1.34.11', 'sagemaker==2.199.0', 'pyyaml>=6.0', 'tqdm', 'accelerate==0.25.0', 'datasets==2.16.1', 'torchvision==0.14.1'];
/** `framework_version` / `py_version` pairs of SageMaker SDK calls. */
const SDK_VERSIONS: ReadonlyArray<[string, string, string]> = [
  ['PyTorch', '1.13.1', 'py39'], ['PyTorch', '2.1.0', 'py310'], ['TensorFlow', '2.14.1', 'py310'], ['MXNet', '1.9.0', 'py38'], ['PyTorch', '1.8.0', 'py36'],
];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1'];
const json = (s: string) => JSON.stringify(s);

const RECIPES: Record<string, (n: number) => Recipe> = {
  'pip-requirements': () => ({
    path: 'requirements.txt',
    parts: [
      ['# Training and serving dependencies, pinned by the platform team.', '--extra-index-url https://pip.repos.neuron.amazonaws.com', '-c constraints.txt', '# the Neuron stack', ...NEURON_PINS, 'neuronx-distributed-training>=1.0,<1.5', ''],
      {
        unit: (i) => [
          `# --- stack ${i}: ${pick(['training', 'serving', 'evaluation', 'data preparation'], i)} ---`,
          `${pick(FRAMEWORK_PINS, i)}  # pinned for the CUDA driver of the fleet`,
          pick(PLAIN_PINS, i),
          `${pick(['tensorflow-gpu>=2.4,<2.5', 'torch==1.13.1', 'mxnet==1.9.1'], i)} ; platform_system == "Linux"`,
          pick(PLAIN_PINS, i + 3),
          `${pick(['mxnet-cu112==1.9.1', 'torch==2.1.0', 'numpy==1.26.4'], i)} \\`,
          `    --hash=sha256:${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}2a4b8e6c1d3e5f7a9b0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d`,
          i % 4 === 0 ? '-r base.txt' : pick(PLAIN_PINS, i + 5),
          `${pick(FRAMEWORK_PINS, i + 1)}  # dl-lifecycle: ignore ${pick(['end-of-patch', 'superseded-patch', 'unpinned'], i)} -- vendor image`,
          '',
        ],
      },
    ],
    fillAfter: 1,
    filler: (i) => (i % 2 ? pick(PLAIN_PINS, i) : `# note ${i}`),
  }),

  // a few stages of many instructions, as real Dockerfiles are (dockerfile-ast, which the scanner
  // uses, matches every comment against every stage: thousands of stages would measure that)
  dockerfile: () => {
    const step = (i: number) => [
      `# step ${i}: ${pick(['dependencies', 'model code', 'tokenizer', 'evaluation data'], i)}`,
      `COPY requirements-${i}.txt /opt/ml/code/`,
      ...(i % 4 === 0 ? ['# dl-lifecycle: ignore end-of-patch'] : []),
      `RUN pip install --no-cache-dir -r /opt/ml/code/requirements-${i}.txt \\`,
      `    && pip install --no-cache-dir "${pick(FRAMEWORK_PINS, i)}" ${pick(PLAIN_PINS, i)} && apt-get install -y curl git`,
      `ENV STEP_${i}=1 PIP_NO_CACHE_DIR=1`,
    ];
    return {
      path: 'Dockerfile',
      parts: [
        [
          '# syntax=docker/dockerfile:1',
          '# The images of the training pipeline.',
          'ARG REGION=us-east-1',
          'ARG DLC_ACCOUNT=763104351884',
          `ARG PYTORCH_TAG=${DLC_TAGS[0]}`,
          '',
          'FROM public.ecr.aws/docker/library/ubuntu:22.04 AS neuron',
          'RUN apt-get install -y aws-neuronx-runtime-lib=2.22.14.0-* aws-neuronx-tools=2.17.1.0 \\',
          '    && pip install neuronx-cc==2.13.66.0 neuronx-distributed==0.7.0',
          '',
          'FROM ${DLC_ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/pytorch-training:${PYTORCH_TAG} AS train',
        ],
        { unit: step },
        ['', `FROM ${DLC_URIS[1]} AS serve`],
        { unit: (i) => step(i + 1000) },
        ['', 'FROM python:3.9-slim AS tools'],
        { unit: (i) => step(i + 2000) },
        ['', `FROM ${DLC_URIS[4]} AS final`, 'COPY --from=train /opt/ml/code /opt/ml/code'],
        { unit: (i) => step(i + 3000) },
        ['ENV SAGEMAKER_PROGRAM=train.py'],
      ],
      fillAfter: 7,
      filler: (i) => `# note ${i}`,
    };
  },

  python: () => ({
    path: 'train.py',
    parts: [
      [
        '"""Training and deployment jobs of the ranking model."""',
        'import os',
        'import sagemaker',
        'from sagemaker import image_uris',
        'from sagemaker.pytorch import PyTorch, PyTorchModel',
        'from sagemaker.tensorflow import TensorFlow',
        'from sagemaker.mxnet import MXNet',
        '',
        'ROLE = os.environ.get("SAGEMAKER_ROLE", "arn:aws:iam::111122223333:role/sagemaker")',
        'PY_VERSION = "py39"',
        '',
      ],
      {
        unit: (i) => {
          const [cls, fv, py] = pick(SDK_VERSIONS, i);
          return [
            `def job_${i}(session, data_uri):`,
            `    """Training job ${i}: fits on ${pick(['p3', 'g5', 'p4d'], i)} instances and deploys the model."""`,
            `    estimator = ${cls}(`,
            '        entry_point="train.py",',
            `        framework_version="${fv}",`,
            `        py_version="${py}",`,
            `        instance_type="ml.${pick(['p3.2xlarge', 'g5.xlarge', 'p4d.24xlarge'], i)}",`,
            '        role=ROLE,',
            '    )',
            `    image = "${pick(DLC_URIS, i)}"`,
            `    uri = image_uris.retrieve(framework="${pick(['pytorch', 'tensorflow'], i)}", region="${pick(REGIONS, i)}", version="${pick(['1.13', '2.14.1', '2.1'], i)}", py_version="py310", instance_type="ml.g5.xlarge", image_scope="training")`,
            `    batches = [x * 2 for x in range(${i % 50 + 1})]  # ordinary code`,
            i % 5 === 0 ? '    model = PyTorchModel(model_data=data_uri, framework_version="2.1.0", py_version="py310")  # dl-lifecycle: ignore' : '    model = None',
            '    return estimator, image, uri, batches, model',
            '',
            '',
          ];
        },
      },
      ['if __name__ == "__main__":', '    job_0(sagemaker.Session(), "s3://bucket/data")'],
    ],
    fillAfter: 1,
    filler: (i) => `# note ${i}`,
  }),

  notebook: () => {
    const src = (lines: string[]) => lines.map((l, k) => `    ${json(k === lines.length - 1 ? l : `${l}\n`)}${k === lines.length - 1 ? '' : ','}`);
    return {
      path: 'training.ipynb',
      parts: [
        ['{', ' "cells": ['],
        {
          unit: (i) => {
            if (i % 3 === 0) {
              return [
                '  {',
                '   "cell_type": "markdown",',
                `   "id": "md-${i}",`,
                '   "metadata": {},',
                '   "source": [',
                ...src([`## Step ${i}`, '', `The job runs on \`${pick(DLC_URIS, i)}\` and a \`${pick(DLAMI_NAMES, i)}\` host.`]),
                '   ]',
                '  },',
              ];
            }
            const [cls, fv, py] = pick(SDK_VERSIONS, i);
            return [
              '  {',
              '   "cell_type": "code",',
              '   "execution_count": null,',
              `   "id": "code-${i}",`,
              '   "metadata": {},',
              '   "outputs": [],',
              '   "source": [',
              ...src([
                `%pip install -q ${pick(FRAMEWORK_PINS, i)} "${pick(PLAIN_PINS, i)}"`,
                `from sagemaker.${cls.toLowerCase()} import ${cls}`,
                `est = ${cls}(entry_point="train.py", framework_version="${fv}", py_version="${py}", instance_type="ml.g5.xlarge")`,
                `df = load_frame("data-${i}.csv")  # ordinary code`,
                'df.describe()',
              ]),
              '   ]',
              '  },',
            ];
          },
        },
        [
          '  {',
          '   "cell_type": "code",',
          '   "execution_count": null,',
          '   "id": "last",',
          '   "metadata": {},',
          '   "outputs": [],',
          '   "source": ["print(\'done\')"]',
          '  }',
          ' ],',
          ' "metadata": {',
        ],
        [
          '  "kernelspec": { "display_name": "Python 3", "language": "python", "name": "python3" },',
          '  "language_info": { "name": "python", "version": "3.10.12" }',
          ' },',
          ' "nbformat": 4,',
          ' "nbformat_minor": 5',
          '}',
        ],
      ],
      fillAfter: 2,
      filler: (i) => `  "tag_${i}": "run-${i}",`,
    };
  },

  pyproject: () => ({
    path: 'pyproject.toml',
    parts: [
      [
        '[build-system]',
        'requires = ["setuptools>=61"]',
        'build-backend = "setuptools.build_meta"',
        '',
        '[project]',
        'name = "trainer"',
        'version = "0.1.0"',
        'requires-python = ">=3.9"',
        'dependencies = [',
        '  "torch==1.13.1",  # dl-lifecycle: ignore end-of-patch',
        '  "numpy>=1.24",',
        '  "tensorflow>=2.4,<2.5; python_version < \'3.9\'",',
        '  "neuronx-distributed==0.7.0",',
        '  "neuronx-cc==2.13.66.0",',
        ']',
        '',
        '[project.optional-dependencies]',
      ],
      {
        unit: (i) => [
          `# extra ${i}`,
          `extra-${i} = [`,
          `  "${pick(FRAMEWORK_PINS, i)}",  # the framework of this extra`,
          `  "${pick(PLAIN_PINS, i)}",`,
          `  "${pick(PLAIN_PINS, i + 4)}",`,
          ']',
        ],
      },
      ['', '[tool.ruff]', 'line-length = 120'],
    ],
    fillAfter: 1,
    filler: (i) => `# note ${i}`,
  }),

  pipfile: () => ({
    path: 'Pipfile',
    parts: [
      ['[[source]]', 'url = "https://pypi.org/simple"', 'verify_ssl = true', 'name = "pypi"', '', '[packages]', 'torch = "==1.13.1"', 'numpy = "*"', 'neuronx-distributed = "==0.7.0"', 'neuronx-cc = "==2.13.66.0"', ''],
      {
        unit: (i) => [
          `[group-${i}]`,
          `# dependencies of job ${i}`,
          `torch = "${pick(['==1.13.1', '==2.1.0', '>=2.0,<2.2', '*'], i)}"`,
          `tensorflow = {version = "${pick(['==2.4.1', '~=2.14.0', '==2.11.0'], i)}", index = "pypi"}`,
          `requests = ">=2.31"`,
          `pandas = {version = "~=2.2.0", extras = ["performance"]}`,
          '',
        ],
      },
      ['[requires]', 'python_version = "3.10"'],
    ],
    fillAfter: 1,
    filler: (i) => `# note ${i}`,
  }),

  'conda-environment': () => ({
    path: 'environment.yml',
    parts: [
      ['# The training environment.', 'name: train', 'channels:', '  - pytorch', '  - conda-forge', '  - defaults', 'dependencies:', '  - python=3.10', '  - torch-neuron=1.7.1.1.3.5.0  # dl-lifecycle: ignore neuron-conda-package'],
      {
        unit: (i) => [
          `  # group ${i}`,
          `  - pytorch=${pick(['1.13', '2.1.0', '2.0.1'], i)}  # the framework pin`,
          `  - torchvision=0.14.1`,
          `  - numpy>=1.21,<2`,
          `  - tensorflow=${pick(['2.11.0', '2.14.1'], i)}`,
          `  - conda-forge::pandas=2.2.${i % 3}`,
          i % 4 === 0 ? '  - pytorch-cuda=11.7  # dl-lifecycle: ignore' : '  - scikit-learn',
        ],
      },
      ['  - pip', '  - pip:', '    - -r requirements.txt', '    - tensorflow==2.11.0', '    - "transformers==4.26.0"'],
    ],
    fillAfter: 1,
    filler: (i) => `  # note ${i}`,
  }),

  'conda-explicit': () => ({
    path: 'conda-linux-64.lock',
    parts: [
      ['# Generated by conda-lock.', '# platform: linux-64', '# input_hash: 0123456789abcdef', '@EXPLICIT'],
      {
        unit: (i) => [
          `https://repo.anaconda.com/pkgs/main/linux-64/python-3.${9 + (i % 3)}.16-h7a1cb2a_${i % 7}.conda#d4d8a2d1d9c8e1f0a1b2c3d4e5f60718`,
          `https://conda.anaconda.org/pytorch/linux-64/pytorch-${pick(['1.13.1', '2.1.0', '2.0.1'], i)}-py3.9_cuda11.7_cudnn8.5.0_${i % 5}.tar.bz2#b0a6d0e7a8f3cbd1f2f5a4e2c6a7b8c9`,
          `https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.${i % 5}-py39h6183b62_0.conda`,
          `https://conda.anaconda.org/conda-forge/noarch/pytorch-lightning-1.9.${i % 5}-pyhd8ed1ab_0.conda`,
          `https://conda.anaconda.org/conda-forge/linux-64/tensorflow-${pick(['2.11.0', '2.14.1'], i)}-cuda112py39h01bd6f0_${i % 3}.conda`,
          `https://conda.anaconda.org/conda-forge/linux-64/libzlib-1.2.${13 + (i % 3)}-hd590300_5.conda`,
        ],
      },
    ],
    fillAfter: 1,
    filler: (i) => `https://conda.anaconda.org/conda-forge/noarch/tzdata-2024a-h0c530f3_${i}.conda`,
  }),

  'conda-spec-list': () => ({
    path: 'gpu.env.in',
    parts: [
      ['# SageMaker Distribution GPU environment', 'python=3.11'],
      {
        unit: (i) => [
          `# group ${i}`,
          `conda-forge::pytorch[version='>=${pick(['2.6.0,<2.7.0', '2.1.0,<2.2.0', '1.13.0,<1.14.0'], i)}']`,
          `conda-forge::tensorflow=${pick(['2.14.1', '2.11.0'], i)}`,
          'conda-forge::numpy',
          `conda-forge::pandas[version='>=2.2.${i % 3}']`,
          i % 5 === 0 ? 'pytorch=1.13.1  # dl-lifecycle: ignore end-of-patch' : 'conda-forge::scikit-learn',
        ],
      },
    ],
    fillAfter: 1,
    filler: (i) => `# note ${i}`,
  }),

  terraform: () => ({
    path: 'main.tf',
    parts: [
      ['# SageMaker models, endpoints and GPU hosts of the ranking service.', 'terraform {', '  required_version = ">= 1.5"', '}', '', 'variable "region" {', '  type = string', '}', ''],
      {
        weight: 1,
        unit: (i) => [`variable "image_tag_${i}" {`, '  type    = string', `  default = "${pick(DLC_TAGS, i)}"`, '}', ''],
      },
      {
        weight: 3,
        unit: (i) => [
          `# model ${i}`,
          `resource "aws_sagemaker_model" "model_${i}" {`,
          `  name               = "model-${i}"`,
          '  execution_role_arn = aws_iam_role.sagemaker.arn',
          '',
          '  primary_container {',
          i % 2 ? `    image = "763104351884.dkr.ecr.\${var.region}.amazonaws.com/pytorch-inference:\${var.image_tag_${i}}"` : `    image = "${pick(DLC_URIS, i)}"`,
          '  }',
          '}',
          '',
          `data "aws_ami" "host_${i}" {`,
          '  most_recent = true',
          '  owners      = ["amazon"]',
          '  filter {',
          '    name   = "name"',
          `    values = ["${pick(DLAMI_NAMES, i)}"]`,
          '  }',
          '}',
          '',
          `resource "aws_instance" "host_${i}" {`,
          `  ami           = data.aws_ami.host_${i}.id`,
          `  instance_type = "${pick(['g5.xlarge', 'p3.2xlarge', 't3.micro'], i)}"  # dl-lifecycle: ignore`,
          `  tags          = { Name = "host-${i}" }`,
          '}',
          '',
        ],
      },
    ],
    fillAfter: 2,
    filler: (i) => `# note ${i}`,
  }),

  'terraform-json': () => ({
    path: 'main.tf.json',
    parts: [
      ['{', '  "variable": {'],
      { weight: 1, unit: (i) => [`    "image_tag_${i}": {`, '      "type": "string",', `      "default": "${pick(DLC_TAGS, i)}"`, '    },'] },
      ['    "region": { "default": "us-west-2" }', '  },', '  "data": {', '    "aws_ami": {'],
      {
        weight: 1,
        unit: (i) => [
          `      "host_${i}": {`,
          '        "most_recent": true,',
          '        "owners": ["amazon"],',
          `        "filter": [{ "name": "name", "values": [${json(pick(DLAMI_NAMES, i))}] }]`,
          '      },',
        ],
      },
      ['      "last": { "owners": ["amazon"] }', '    }', '  },', '  "resource": {', '    "aws_sagemaker_model": {'],
      {
        weight: 3,
        unit: (i) => [
          `      "model_${i}": {`,
          `        "name": "model-${i}",`,
          '        "execution_role_arn": "arn:aws:iam::123456789012:role/sagemaker",',
          '        "primary_container": [',
          '          {',
          i % 4 === 0 ? '            "//": "dl-lifecycle: ignore superseded-patch",' : `            "environment": { "STAGE": "${i}" },`,
          i % 2 ? `            "image": "763104351884.dkr.ecr.\${var.region}.amazonaws.com/pytorch-inference:\${var.image_tag_${i}}"` : `            "image": ${json(pick(DLC_URIS, i))}`,
          '          }',
          '        ]',
          '      },',
        ],
      },
      ['      "last": { "name": "last", "execution_role_arn": "arn:aws:iam::123456789012:role/sagemaker" }', '    }', '  },', '  "locals": {'],
      ['    "registry": "763104351884.dkr.ecr.${var.region}.amazonaws.com"', '  }', '}'],
    ],
    fillAfter: 6,
    filler: (i) => `    "pad_${i}": "value ${i}",`,
  }),

  cdk: () => ({
    path: 'inference-stack.ts',
    parts: [
      [
        "import * as cdk from 'aws-cdk-lib';",
        "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
        "import * as s3 from 'aws-cdk-lib/aws-s3';",
        "import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';",
        "import * as alpha from '@aws-cdk/aws-sagemaker-alpha';",
        "import { Construct } from 'constructs';",
        '',
        "const DLC_ACCOUNT = '763104351884';",
        '',
        'export class InferenceStack extends cdk.Stack {',
        '  constructor(scope: Construct, id: string, props: cdk.StackProps) {',
        '    super(scope, id, props);',
      ],
      {
        unit: (i) => [
          `    // model ${i}`,
          `    const model${i} = new sagemaker.CfnModel(this, 'Model${i}', {`,
          "      executionRoleArn: 'arn:aws:iam::111122223333:role/sagemaker',",
          '      primaryContainer: {',
          i % 2 ? `        image: '${pick(DLC_URIS, i)}',` : `        image: \`\${DLC_ACCOUNT}.dkr.ecr.\${this.region}.amazonaws.com/pytorch-inference:${pick(DLC_TAGS, i)}\`,`,
          `        modelDataUrl: 's3://models/model-${i}.tar.gz',`,
          '      },',
          '    });',
          `    const trainer${i} = alpha.ContainerImage.fromDlc('pytorch-training', '${pick(DLC_TAGS, i)}');`,
          `    const dlami${i} = ec2.MachineImage.lookup({ name: '${pick(DLAMI_NAMES, i)}', owners: ['amazon'] });${i % 4 === 0 ? ' // dl-lifecycle: ignore' : ''}`,
          `    const bucket${i} = new s3.Bucket(this, 'Bucket${i}', { versioned: ${i % 2 === 0} });`,
          `    new cdk.CfnOutput(this, 'Out${i}', { value: [model${i}.attrModelName, trainer${i}, dlami${i}, bucket${i}.bucketName].length.toString() });`,
          '',
        ],
      },
      ['  }', '}'],
    ],
    fillAfter: 1,
    filler: (i) => `    // note ${i}`,
  }),

  'infrastructure-yaml': () => ({
    path: 'template.yaml',
    parts: [
      [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Description: Real-time endpoints of the ranking service.',
        '',
        'Parameters:',
        '  ServingTag:',
        '    Type: String',
        '    Default: 2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker',
        '',
        'Resources:',
      ],
      {
        unit: (i) => [
          `  # endpoint ${i}`,
          `  Model${i}:`,
          '    Type: AWS::SageMaker::Model',
          '    Properties:',
          '      ExecutionRoleArn: !GetAtt SageMakerRole.Arn',
          '      PrimaryContainer:',
          i % 2 ? '        Image: !Sub "763104351884.dkr.ecr.${AWS::Region}.amazonaws.com/pytorch-inference:${ServingTag}"' : `        Image: ${pick(DLC_URIS, i)}`,
          '      Tags:',
          '        - Key: team',
          `          Value: ml-${i}`,
          `  EndpointConfig${i}:`,
          '    Type: AWS::SageMaker::EndpointConfig',
          '    Properties:',
          '      ProductionVariants:',
          `        - ModelName: !GetAtt Model${i}.ModelName`,
          '          VariantName: main',
          '          InitialInstanceCount: 1',
          '          InstanceType: ml.m5.xlarge',
          i % 3 === 0 ? '          AcceleratorType: ml.eia2.medium  # dl-lifecycle: ignore' : '          VolumeSizeInGB: 30',
          `  Host${i}:`,
          '    Type: AWS::EC2::Instance',
          '    Properties:',
          `      ImageId: "{{resolve:ssm:${DLAMI_SSM}}}"`,
          `      InstanceType: ${pick(['g5.xlarge', 'p3.2xlarge'], i)}`,
        ],
      },
      ['Outputs:', '  Endpoint:', '    Value: !Ref EndpointConfig0'],
    ],
    fillAfter: 1,
    filler: (i) => `  # note ${i}`,
  }),

  'infrastructure-json': () => ({
    path: 'template.json',
    parts: [
      [
        '{',
        '  "AWSTemplateFormatVersion": "2010-09-09",',
        '  "Parameters": {',
        '    "ImageTag": { "Type": "String", "Default": "2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker" },',
        `    "BuildHostAmi": { "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": ${json(DLAMI_SSM)} }`,
        '  },',
        '  "Resources": {',
      ],
      {
        unit: (i) => [
          `    "Model${i}": {`,
          '      "Type": "AWS::SageMaker::Model",',
          '      "Properties": {',
          '        "PrimaryContainer": {',
          i % 2
            ? '          "Image": { "Fn::Sub": "763104351884.dkr.ecr.${AWS::Region}.amazonaws.com/pytorch-inference:${ImageTag}" }'
            : `          "Image": ${json(pick(DLC_URIS, i))}`,
          '        },',
          `        "Tags": [{ "Key": "team", "Value": "ml-${i}" }]`,
          '      }',
          '    },',
          `    "EndpointConfig${i}": {`,
          '      "Type": "AWS::SageMaker::EndpointConfig",',
          '      "Properties": {',
          `        "ProductionVariants": [{ "ModelName": "model-${i}", "VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge"${i % 3 === 0 ? ', "AcceleratorType": "ml.eia1.large"' : ''} }]`,
          '      }',
          '    },',
        ],
      },
      [],
      ['    "Last": { "Type": "AWS::SNS::Topic" }', '  }', '}'],
    ],
    fillAfter: 2,
    filler: (i) => `    "Topic${i}": { "Type": "AWS::SNS::Topic" },`,
  }),

  script: () => ({
    path: 'build.sh',
    parts: [
      ['#!/usr/bin/env bash', '# Pulls the images and prepares the hosts of each training step.', 'set -euo pipefail', 'REGION="${AWS_REGION:-us-east-1}"', 'sudo apt-get install -y aws-neuronx-runtime-lib=2.22.14.0-* aws-neuronx-tools=2.17.1.0  # dl-lifecycle: ignore neuron-mixed-releases', 'pip install neuronx-cc==2.13.66.0 neuronx-distributed==0.7.0', ''],
      {
        unit: (i) => [
          `# --- step ${i} ---`,
          `echo "step ${i}: pulling images"`,
          `docker pull ${pick(DLC_URIS, i)}`,
          `pip install --no-cache-dir ${pick(FRAMEWORK_PINS, i)} "${pick(PLAIN_PINS, i)}"`,
          `sudo apt-get install -y --no-install-recommends jq curl  # build tools`,
          `aws ec2 describe-images --owners amazon --filters "Name=name,Values=${pick(DLAMI_NAMES, i)}" --region "$REGION"`,
          `if [ -f "data/${i}.csv" ]; then`,
          `  python train.py --epochs ${1 + (i % 9)} --data "data/${i}.csv"`,
          'fi',
          '',
        ],
      },
      ['echo "done"'],
    ],
    fillAfter: 1,
    filler: (i) => `# note ${i}`,
  }),

  markdown: () => ({
    path: 'README.md',
    parts: [
      ['# Ranking service', '', 'How the training and serving images are built and where they run.', ''],
      {
        unit: (i) => [
          `## Step ${i}`,
          '',
          `The job of step ${i} runs on \`${pick(DLC_URIS, i)}\` and prepares its data on a`,
          `\`${pick(DLAMI_NAMES, i)}\` host (SSM parameter \`${DLAMI_SSM}\`).`,
          '',
          '```bash',
          `docker pull ${pick(DLC_URIS, i + 1)}`,
          `pip install ${pick(FRAMEWORK_PINS, i)}`,
          '```',
          '',
          `- outputs go to \`s3://ranking/step-${i}/\`; nothing else to note here`,
          '',
        ],
      },
    ],
    fillAfter: 1,
    filler: (i) => `Some prose about the pipeline, line ${i}.`,
  }),
};

/** The file kinds (ids of `FILE_KINDS`) that {@link generateDocument} can generate. */
export const GENERATED_KINDS: readonly string[] = Object.keys(RECIPES);

/**
 * A realistic document of a file kind with exactly `lines` lines.
 * @param kind a file kind id of `FILE_KINDS` (`pip-requirements`, `dockerfile`, …; see {@link GENERATED_KINDS})
 * @param lines the number of lines, at least 50 (every kind's frame fits)
 * @throws Error for an unknown kind, or when `lines` is smaller than the kind's frame
 */
export function generateDocument(kind: string, lines: number): GeneratedDocument {
  const recipe = RECIPES[kind];
  if (!recipe) throw new Error(`no generator for file kind '${kind}'`);
  const r = recipe(lines);
  const fixed = r.parts.reduce((s, p) => s + (Array.isArray(p) ? p.length : 0), 0);
  if (fixed > lines) throw new Error(`a ${kind} document needs at least ${fixed} lines`);
  const repeated = r.parts.filter((p): p is Exclude<Part, string[]> => !Array.isArray(p));
  const totalWeight = repeated.reduce((s, p) => s + (p.weight ?? 1), 0);
  const budget = lines - fixed;
  const out: string[] = [];
  let fillAt = -1;
  r.parts.forEach((p, k) => {
    if (Array.isArray(p)) out.push(...p);
    else {
      const share = Math.floor((budget * (p.weight ?? 1)) / totalWeight);
      for (let i = 0, used = 0; ; i++) {
        const u = p.unit(i);
        if (used + u.length > share) break;
        for (const l of u) out.push(l);
        used += u.length;
      }
    }
    if (k === r.fillAfter) fillAt = out.length;
  });
  const fill = Array.from({ length: lines - out.length }, (_, i) => r.filler(i));
  out.splice(fillAt, 0, ...fill);
  return { path: r.path, text: `${out.join('\n')}\n` };
}
