import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Range } from '../../../server/src/model';
import { scanText } from '../../../server/src/scanners/text';
import { TextIndex } from '../../../server/src/text';
import { checkScanResult } from '../../fixtures/scanChecks';

const catalog = loadBundledCatalog();
const DLC = '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';
const SSM = '/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id';
const slice = (text: string, r: Range) => {
  const ix = new TextIndex(text);
  return text.slice(ix.offsetAt(r.start), ix.offsetAt(r.end));
};

const SCRIPT = [
  '#!/usr/bin/env bash',
  'set -euo pipefail',
  `IMAGE=${DLC}  # training image`,
  'docker pull "$IMAGE"',
  '# dl-lifecycle: ignore os-end-of-life',
  `AMI=$(aws ssm get-parameter --name ${SSM} --query Parameter.Value --output text)`,
  "aws ec2 describe-images --owners amazon --filters 'Name=name,Values=Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *'",
  'docker pull python:3.10-slim',
  'echo "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-own-image:1.0"',
  '',
].join('\n');

describe('scanText (scripts, Makefiles, Markdown)', () => {
  it('finds DLC image URIs, SSM parameter paths and DLAMI name filters where they are written', () => {
    const r = scanText(SCRIPT, catalog, { commentMarker: '#' });
    assert.deepEqual(
      r.references.map((x) => [x.kind, x.range.start.line, slice(SCRIPT, x.range)]),
      [
        ['container-image', 2, DLC],
        ['dlami', 5, SSM],
        ['dlami', 6, 'Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *'],
      ],
    );
    const image = r.references[0];
    assert.ok(image.kind === 'container-image' && image.image.family === 'dlc' && image.image.parts.frameworkVersion?.text === '2.1.0');
    assert.deepEqual(r.statements, [{ startLine: 2, endLine: 2 }, { startLine: 5, endLine: 5 }, { startLine: 6, endLine: 6 }]);
    checkScanResult(SCRIPT, r);
  });

  it('does not report base images, private non-DLC images or AMI ids', () => {
    const r = scanText('FROM python:3.8\ndocker pull 123456789012.dkr.ecr.us-east-1.amazonaws.com/mine:1\nami-0abc1234def567890\n', catalog, { commentMarker: '#' });
    assert.deepEqual(r.references, []);
  });

  it('reads # comments at line start or after white space, not inside words (`a#b`) or in Markdown', () => {
    const r = scanText(SCRIPT, catalog, { commentMarker: '#' });
    assert.deepEqual(
      r.comments.map((c) => [c.range.start.line, c.text, c.standalone]),
      [
        [0, '!/usr/bin/env bash', true],
        [2, ' training image', false],
        [4, ' dl-lifecycle: ignore os-end-of-life', true],
      ],
    );
    assert.deepEqual(scanText('x=a#b\r\n  # c\rd', catalog, { commentMarker: '#' }).comments.map((c) => [c.range.start.line, c.text]), [[1, ' c']]);
    assert.deepEqual(scanText(`# Title\n${DLC}\n`, catalog, { commentMarker: '' }).comments, []);
  });

  it('never throws and keeps every range inside the text (random text, CRLF, NUL, BOM, mutated scripts)', () => {
    const pieces = fc.constantFrom(DLC, SSM, 'pip install torch-neuronx==2.1.2.2.3.0 ', 'apt-get install aws-neuronx-dkms=2.* ', ' && ', '\\\n', 'Deep Learning AMI (Ubuntu 18.04) Version 60.*', '# c', '\r\n', '\n', '\r', '\u0000', '\ufeff', ' ', '"', "'", '${', '}', '.dkr.ecr.', 'public.ecr.aws/', '😀');
    const text = fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.oneof(pieces, fc.string({ maxLength: 8 })), { maxLength: 40 }).map((xs) => xs.join('')));
    const mutated = fc.tuple(fc.nat(SCRIPT.length), fc.nat(20), fc.string({ maxLength: 5 })).map(([at, del, ins]) => SCRIPT.slice(0, at) + ins + SCRIPT.slice(at + del));
    fc.assert(
      fc.property(fc.oneof(text, mutated), fc.constantFrom('#', ''), (t, marker) => {
        checkScanResult(t, scanText(t, catalog, { commentMarker: marker, shellInstalls: marker === '#' }), marker || '#');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('scanText with shell installs (scripts, Makefiles)', () => {
  it('reads pip, conda and apt install commands besides image URIs, each at its place', () => {
    const script = [
      '#!/bin/bash',
      'sudo apt-get install -y aws-neuronx-dkms=2.* aws-neuronx-runtime-lib=2.21.37.0-a9c2a3a1b',
      'python -m pip install torch-neuronx==2.1.2.2.3.0 neuronx-cc==2.* torch==2.1.2 numpy  # pinned to Neuron 2.20',
      `docker pull ${DLC}`,
      'echo pip install torch==1.0.0',
      '',
    ].join('\n');
    const r = scanText(script, catalog, { commentMarker: '#', shellInstalls: true });
    assert.deepEqual(
      r.references.map((x) => [x.range.start.line, x.kind, x.subject, slice(script, x.range)]),
      [
        [1, 'framework-package-pin', 'neuron', 'aws-neuronx-dkms=2.*'],
        [1, 'framework-package-pin', 'neuron', 'aws-neuronx-runtime-lib=2.21.37.0-a9c2a3a1b'],
        [2, 'framework-package-pin', 'neuron', 'torch-neuronx==2.1.2.2.3.0'],
        [2, 'framework-package-pin', 'neuron', 'neuronx-cc==2.*'],
        [2, 'framework-package-pin', 'pytorch', 'torch==2.1.2'],
        [3, 'container-image', 'pytorch', DLC],
      ],
    );
    assert.deepEqual(scanText(script, catalog, { commentMarker: '#' }).references.map((x) => x.kind), ['container-image'], 'without the option only images and DLAMIs');
    checkScanResult(script, r);
  });
});
