import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { DlamiReference, Located } from '../../../server/src/model';
import { findDlamiReferences, recognizeDlami } from '../../../server/src/scanners/images';
import { TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();

/**
 * DLAMI names and SSM parameter paths seen in public code and in the AWS and Neuron documentation
 * (verbatim), with the lifecycle family and framework version each must be read as.
 */
const EXAMPLES: ReadonlyArray<[text: string, family: string, version: string]> = [
  ['/aws/service/deep-learning-base-neuron/ubuntu-22-04/latest', 'neuron-base', ''],
  ['/aws/service/deeplearning/ami/arm64/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id', 'arm64-base-oss-nvidia-driver-gpu', ''],
  ['/aws/service/deeplearning/ami/arm64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id', 'arm64-base-oss-nvidia-driver-gpu', ''],
  ['/aws/service/deeplearning/ami/arm64/base-with-single-cuda-amazon-linux-2023/latest/ami-id', 'base-single-cuda', ''],
  ['/aws/service/deeplearning/ami/arm64/oss-nvidia-driver-gpu-pytorch-2.12-ubuntu-24.04/latest/ami-id', 'arm64-oss-nvidia-driver-gpu-pytorch', '2.12'],
  ['/aws/service/deeplearning/ami/arm64/oss-nvidia-driver-gpu-pytorch-2.7-ubuntu-22.04/latest/ami-id', 'arm64-oss-nvidia-driver-gpu-pytorch', '2.7'],
  ['/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id', 'base-oss-nvidia-driver-gpu', ''],
  ['/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id', 'base-oss-nvidia-driver-gpu', ''],
  ['/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-24.04/latest/ami-id', 'base-oss-nvidia-driver-gpu', ''],
  ['/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-ubuntu-22.04/latest/ami-id', 'base-oss-nvidia-driver-gpu', ''],
  ['/aws/service/deeplearning/ami/x86_64/base-with-single-cuda-amazon-linux-2023/latest/ami-id', 'base-single-cuda', ''],
  ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.12-ubuntu-24.04/latest/ami-id', 'oss-nvidia-driver-gpu-pytorch', '2.12'],
  ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.5-ubuntu-22.04/latest/ami-id', 'oss-nvidia-driver-gpu-pytorch', '2.5'],
  ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.6-ubuntu-22.04/latest/ami-id', 'oss-nvidia-driver-gpu-pytorch', '2.6'],
  ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.7-ubuntu-22.04/latest/ami-id', 'oss-nvidia-driver-gpu-pytorch', '2.7'],
  ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.8-ubuntu-24.04/latest/ami-id', 'oss-nvidia-driver-gpu-pytorch', '2.8'],
  ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.9-amazon-linux-2023/latest/ami-id', 'oss-nvidia-driver-gpu-pytorch', '2.9'],
  ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.9-ubuntu-24.04/latest/ami-id', 'oss-nvidia-driver-gpu-pytorch', '2.9'],
  ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id', 'oss-nvidia-driver-gpu', ''],
  ['/aws/service/neuron/dlami/base/amazon-linux-2023', 'neuron-base', ''],
  ['/aws/service/neuron/dlami/base/amazon-linux-2', 'neuron-base', ''],
  ['/aws/service/neuron/dlami/base/ubuntu-20.04', 'neuron-base', ''],
  ['/aws/service/neuron/dlami/base/ubuntu-22.04/latest/image_id', 'neuron-base', ''],
  ['/aws/service/neuron/dlami/base/ubuntu-22.04', 'neuron-base', ''],
  ['/aws/service/neuron/dlami/base/ubuntu-24.04', 'neuron-base', ''],
  ['/aws/service/neuron/dlami/jax-0.10/amazon-linux-2023', 'neuron-jax', '0.10'],
  ['/aws/service/neuron/dlami/jax-0.10/ubuntu-24.04', 'neuron-jax', '0.10'],
  ['/aws/service/neuron/dlami/jax-0.5/amazon-linux-2023', 'neuron-jax', '0.5'],
  ['/aws/service/neuron/dlami/jax-0.5/ubuntu-22.04', 'neuron-jax', '0.5'],
  ['/aws/service/neuron/dlami/jax-0.6/amazon-linux-2023', 'neuron-jax', '0.6'],
  ['/aws/service/neuron/dlami/jax-0.6/ubuntu-22.04', 'neuron-jax', '0.6'],
  ['/aws/service/neuron/dlami/jax-0.7/amazon-linux-2023', 'neuron-jax', '0.7'],
  ['/aws/service/neuron/dlami/jax-0.7/ubuntu-24.04', 'neuron-jax', '0.7'],
  ['/aws/service/neuron/dlami/jax-0.9/amazon-linux-2023', 'neuron-jax', '0.9'],
  ['/aws/service/neuron/dlami/jax-0.9/ubuntu-24.04', 'neuron-jax', '0.9'],
  ['/aws/service/neuron/dlami/multi-framework/amazon-linux-2023', 'neuron-multi-framework', ''],
  ['/aws/service/neuron/dlami/multi-framework/ubuntu-22.04/latest/image_id', 'neuron-multi-framework', ''],
  ['/aws/service/neuron/dlami/multi-framework/ubuntu-22.04', 'neuron-multi-framework', ''],
  ['/aws/service/neuron/dlami/multi-framework/ubuntu-24.04/latest/image_id', 'neuron-multi-framework', ''],
  ['/aws/service/neuron/dlami/multi-framework/ubuntu-24.04', 'neuron-multi-framework', ''],
  ['/aws/service/neuron/dlami/pytorch-1.13-inf1/ubuntu-22.04', 'neuron-pytorch-inf1', '1.13'],
  ['/aws/service/neuron/dlami/pytorch-1.13/amazon-linux-2/latest/image_id', 'neuron-pytorch', '1.13'],
  ['/aws/service/neuron/dlami/pytorch-1.13/amazon-linux-2', 'neuron-pytorch', '1.13'],
  ['/aws/service/neuron/dlami/pytorch-1.13/ubuntu-20.04', 'neuron-pytorch', '1.13'],
  ['/aws/service/neuron/dlami/pytorch-1.13/ubuntu-22.04', 'neuron-pytorch', '1.13'],
  ['/aws/service/neuron/dlami/pytorch-2.1/ubuntu-22.04', 'neuron-pytorch', '2.1'],
  ['/aws/service/neuron/dlami/pytorch-2.5/amazon-linux-2023', 'neuron-pytorch', '2.5'],
  ['/aws/service/neuron/dlami/pytorch-2.5/ubuntu-22.04', 'neuron-pytorch', '2.5'],
  ['/aws/service/neuron/dlami/pytorch-2.6/amazon-linux-2023', 'neuron-pytorch', '2.6'],
  ['/aws/service/neuron/dlami/pytorch-2.6/ubuntu-22.04', 'neuron-pytorch', '2.6'],
  ['/aws/service/neuron/dlami/pytorch-2.7/amazon-linux-2023', 'neuron-pytorch', '2.7'],
  ['/aws/service/neuron/dlami/pytorch-2.7/ubuntu-22.04', 'neuron-pytorch', '2.7'],
  ['/aws/service/neuron/dlami/pytorch-2.8/amazon-linux-2023', 'neuron-pytorch', '2.8'],
  ['/aws/service/neuron/dlami/pytorch-2.8/ubuntu-22.04', 'neuron-pytorch', '2.8'],
  ['/aws/service/neuron/dlami/pytorch-2.8/ubuntu-24.04', 'neuron-pytorch', '2.8'],
  ['/aws/service/neuron/dlami/pytorch-2.9/amazon-linux-2023', 'neuron-pytorch', '2.9'],
  ['/aws/service/neuron/dlami/pytorch-2.9/ubuntu-24.04/latest/image_id', 'neuron-pytorch', '2.9'],
  ['/aws/service/neuron/dlami/pytorch-2.9/ubuntu-24.04', 'neuron-pytorch', '2.9'],
  ['/aws/service/neuron/dlami/pytorch-inference-vllm-0.13/ubuntu-24.04', 'neuron-pytorch-inference-vllm', '0.13'],
  ['/aws/service/neuron/dlami/pytorch-inference-vllm-0.16/ubuntu-24.04', 'neuron-pytorch-inference-vllm', '0.16'],
  ['/aws/service/neuron/dlami/pytorch-inference-vllm-0.21.0.1.0.0/ubuntu-24.04', 'neuron-pytorch-inference-vllm', '0.21.0.1.0.0'],
  ['/aws/service/neuron/dlami/pytorch-inference-vllm-0.24.0.1.1.0/ubuntu-24.04/latest/image_id', 'neuron-pytorch-inference-vllm', '0.24.0.1.1.0'],
  ['/aws/service/neuron/dlami/pytorch-inference-vllm-0.24.0.1.1.0/ubuntu-24.04', 'neuron-pytorch-inference-vllm', '0.24.0.1.1.0'],
  ['/aws/service/neuron/dlami/pytorch-inference-vllm/amazon-linux-2023', 'neuron-pytorch-inference-vllm', ''],
  ['/aws/service/neuron/dlami/pytorch-inference-vllm/ubuntu-24.04', 'neuron-pytorch-inference-vllm', ''],
  ['/aws/service/neuron/dlami/tensorflow-2.10/amazon-linux-2', 'neuron-tensorflow', '2.10'],
  ['/aws/service/neuron/dlami/tensorflow-2.10/ubuntu-20.04', 'neuron-tensorflow', '2.10'],
  ['/aws/service/neuron/dlami/tensorflow-2.10/ubuntu-22.04/latest/image_id', 'neuron-tensorflow', '2.10'],
  ['/aws/service/neuron/dlami/tensorflow-2.10/ubuntu-22.04', 'neuron-tensorflow', '2.10'],
  ['Deep Learning AMI (Ubuntu 18.04) Version 28.0', 'conda-multi-framework', ''],
  ['Deep Learning AMI (Ubuntu 18.04) Version 60.4', 'conda-multi-framework', ''],
  ['Deep Learning AMI (Ubuntu 18.04) Version 61.0', 'conda-multi-framework', ''],
  ['Deep Learning AMI Base Neuron (Amazon Linux 2)', 'neuron-base', ''],
  ['Deep Learning AMI Base Neuron (Ubuntu 20.04)', 'neuron-base', ''],
  ['Deep Learning AMI GPU PyTorch 2.0.1 (Ubuntu 20.04) 20230627', 'gpu-pytorch', '2.0.1'],
  ['Deep Learning AMI GPU PyTorch 2.3 (Ubuntu 22.04)', 'gpu-pytorch', '2.3'],
  ['Deep Learning AMI GPU TensorFlow 2.11.? (Ubuntu 20.04) ????????', 'gpu-tensorflow', '2.11.?'],
  ['Deep Learning AMI GPU TensorFlow 2.12.0 (Ubuntu 20.04) 20230529', 'gpu-tensorflow', '2.12.0'],
  ['Deep Learning AMI GPU TensorFlow 2.6.2 (Amazon Linux 2) 20211111', 'gpu-tensorflow', '2.6.2'],
  ['Deep Learning AMI GPU TensorFlow 2.7.0 (Ubuntu 20.04) 20211208', 'gpu-tensorflow', '2.7.0'],
  ['Deep Learning AMI Neuron (Amazon Linux 2023)', 'neuron-multi-framework', ''],
  ['Deep Learning AMI Neuron (Ubuntu 22.04)', 'neuron-multi-framework', ''],
  ['Deep Learning AMI Neuron (Ubuntu 24.04)', 'neuron-multi-framework', ''],
  ['Deep Learning AMI Neuron JAX 0.10 (Amazon Linux 2023)', 'neuron-jax', '0.10'],
  ['Deep Learning AMI Neuron JAX 0.10 (Ubuntu 24.04)', 'neuron-jax', '0.10'],
  ['Deep Learning AMI Neuron JAX 0.5 (Amazon Linux 2023)', 'neuron-jax', '0.5'],
  ['Deep Learning AMI Neuron JAX 0.5 (Ubuntu 22.04)', 'neuron-jax', '0.5'],
  ['Deep Learning AMI Neuron JAX 0.6 (Amazon Linux 2023)', 'neuron-jax', '0.6'],
  ['Deep Learning AMI Neuron JAX 0.6 (Ubuntu 22.04)', 'neuron-jax', '0.6'],
  ['Deep Learning AMI Neuron JAX 0.7 (Amazon Linux 2023)', 'neuron-jax', '0.7'],
  ['Deep Learning AMI Neuron JAX 0.7 (Ubuntu 24.04)', 'neuron-jax', '0.7'],
  ['Deep Learning AMI Neuron JAX 0.9 (Amazon Linux 2023)', 'neuron-jax', '0.9'],
  ['Deep Learning AMI Neuron JAX 0.9 (Ubuntu 24.04)', 'neuron-jax', '0.9'],
  ['Deep Learning AMI Neuron PyTorch 1.13 (Amazon Linux 2)', 'neuron-pytorch', '1.13'],
  ['Deep Learning AMI Neuron PyTorch 1.13 (Ubuntu 20.04)', 'neuron-pytorch', '1.13'],
  ['Deep Learning AMI Neuron PyTorch 1.13 (Ubuntu 22.04)', 'neuron-pytorch', '1.13'],
  ['Deep Learning AMI Neuron PyTorch 1.13 Inf1 (Ubuntu 22.04)', 'neuron-pytorch-inf1', '1.13'],
  ['Deep Learning AMI Neuron PyTorch 1.13.0 (Amazon Linux 2)', 'neuron-pytorch', '1.13.0'],
  ['Deep Learning AMI Neuron PyTorch 1.13.0 (Ubuntu 20.04)', 'neuron-pytorch', '1.13.0'],
  ['Deep Learning AMI Neuron PyTorch 1.13.1 (Amazon Linux 2)', 'neuron-pytorch', '1.13.1'],
  ['Deep Learning AMI Neuron PyTorch 1.13.1 (Ubuntu 20.04)', 'neuron-pytorch', '1.13.1'],
  ['Deep Learning AMI Neuron PyTorch 2.1 (Ubuntu 22.04)', 'neuron-pytorch', '2.1'],
  ['Deep Learning AMI Neuron PyTorch 2.5 (Amazon Linux 2023)', 'neuron-pytorch', '2.5'],
  ['Deep Learning AMI Neuron PyTorch 2.5 (Ubuntu 22.04)', 'neuron-pytorch', '2.5'],
  ['Deep Learning AMI Neuron PyTorch 2.6 (Amazon Linux 2023)', 'neuron-pytorch', '2.6'],
  ['Deep Learning AMI Neuron PyTorch 2.6 (Ubuntu 22.04)', 'neuron-pytorch', '2.6'],
  ['Deep Learning AMI Neuron PyTorch 2.7 (Amazon Linux 2023)', 'neuron-pytorch', '2.7'],
  ['Deep Learning AMI Neuron PyTorch 2.7 (Ubuntu 22.04)', 'neuron-pytorch', '2.7'],
  ['Deep Learning AMI Neuron PyTorch 2.8 (Amazon Linux 2023)', 'neuron-pytorch', '2.8'],
  ['Deep Learning AMI Neuron PyTorch 2.8 (Ubuntu 22.04)', 'neuron-pytorch', '2.8'],
  ['Deep Learning AMI Neuron PyTorch 2.9 (Amazon Linux 2023)', 'neuron-pytorch', '2.9'],
  ['Deep Learning AMI Neuron PyTorch 2.9 (Ubuntu 22.04)', 'neuron-pytorch', '2.9'],
  ['Deep Learning AMI Neuron PyTorch 2.9 (Ubuntu 24.04)', 'neuron-pytorch', '2.9'],
  ['Deep Learning AMI Neuron PyTorch Inference vLLM (Amazon Linux 2023)', 'neuron-pytorch-inference-vllm', ''],
  ['Deep Learning AMI Neuron PyTorch Inference vLLM (Ubuntu 24.04)', 'neuron-pytorch-inference-vllm', ''],
  ['Deep Learning AMI Neuron PyTorch Inference vLLM 0.16 (Ubuntu 24.04)', 'neuron-pytorch-inference-vllm', '0.16'],
  ['Deep Learning AMI Neuron PyTorch Inference vLLM 0.21.0.1.0.0 (Ubuntu 24.04)', 'neuron-pytorch-inference-vllm', '0.21.0.1.0.0'],
  ['Deep Learning AMI Neuron PyTorch Inference vLLM 0.24.0.1.1.0 (Ubuntu 24.04)', 'neuron-pytorch-inference-vllm', '0.24.0.1.1.0'],
  ['Deep Learning AMI Neuron TensorFlow 2.10 (Amazon Linux 2)', 'neuron-tensorflow', '2.10'],
  ['Deep Learning AMI Neuron TensorFlow 2.10 (Ubuntu 20.04)', 'neuron-tensorflow', '2.10'],
  ['Deep Learning AMI Neuron TensorFlow 2.10 (Ubuntu 22.04)', 'neuron-tensorflow', '2.10'],
  ['Deep Learning AMI Neuron TensorFlow 2.10 Inf1 (Ubuntu 22.04)', 'neuron-tensorflow-inf1', '2.10'],
  ['Deep Learning AMI Neuron TensorFlow 2.10.1 (Amazon Linux 2)', 'neuron-tensorflow', '2.10.1'],
  ['Deep Learning AMI Neuron TensorFlow 2.10.1 (Ubuntu 20.04)', 'neuron-tensorflow', '2.10.1'],
  ['Deep Learning ARM64 AMI OSS Nvidia Driver GPU PyTorch 2.11 (Amazon Linux 2023) 20260828', 'arm64-oss-nvidia-driver-gpu-pytorch', '2.11'],
  ['Deep Learning ARM64 AMI OSS Nvidia Driver GPU PyTorch 2.12 (Ubuntu 24.04) 20260724', 'arm64-oss-nvidia-driver-gpu-pytorch', '2.12'],
  ['Deep Learning ARM64 AMI OSS Nvidia Driver GPU PyTorch 2.6.0 (Amazon Linux 2023) 20250328', 'arm64-oss-nvidia-driver-gpu-pytorch', '2.6.0'],
  ['Deep Learning ARM64 AMI OSS Nvidia Driver GPU PyTorch 2.9 (Amazon Linux 2023) 20251226', 'arm64-oss-nvidia-driver-gpu-pytorch', '2.9'],
  ['Deep Learning Base AMI Neuron (Amazon Linux 2)', 'neuron-base', ''],
  ['Deep Learning Base AMI Neuron (Ubuntu 20.04)', 'neuron-base', ''],
  ['Deep Learning Base AMI with Single CUDA (Amazon Linux 2023)', 'base-single-cuda', ''],
  ['Deep Learning Base AMI with Single CUDA (Ubuntu 24.04) 20260714', 'base-single-cuda', ''],
  ['Deep Learning Base Neuron AMI (Amazon Linux 2)', 'neuron-base', ''],
  ['Deep Learning Base Neuron AMI (Amazon Linux 2023)', 'neuron-base', ''],
  ['Deep Learning Base Neuron AMI (Ubuntu 20.04)', 'neuron-base', ''],
  ['Deep Learning Base Neuron AMI (Ubuntu 22.04)', 'neuron-base', ''],
  ['Deep Learning Base Neuron AMI (Ubuntu 24.04)', 'neuron-base', ''],
  ['Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 20.04) 20240326', 'base-oss-nvidia-driver-gpu', ''],
  ['Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) 20260403', 'base-oss-nvidia-driver-gpu', ''],
  ['Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 26.04) 20260828', 'base-oss-nvidia-driver-gpu', ''],
  ['Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.0.1 (Ubuntu 20.04)*', 'oss-nvidia-driver-gpu-pytorch', '2.0.1'],
  ['Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.13 (Ubuntu 26.04)', 'oss-nvidia-driver-gpu-pytorch', '2.13'],
  ['Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.4.1 (Ubuntu 22.04)', 'oss-nvidia-driver-gpu-pytorch', '2.4.1'],
  ['Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.7 (AL2023) 20260307', 'oss-nvidia-driver-gpu-pytorch', '2.7'],
  ['Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.9 (Amazon Linux 2023) 20260214', 'oss-nvidia-driver-gpu-pytorch', '2.9'],
  ['Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.9 (Amazon Linux 2023)', 'oss-nvidia-driver-gpu-pytorch', '2.9'],
  ['Deep Learning OSS Nvidia driver AMI GPU PyTorch 2.1.0 (Ubuntu 20.04)', 'oss-nvidia-driver-gpu-pytorch', '2.1.0'],
  ['Deep Learning Proprietary Nvidia Driver AMI (Amazon Linux 2) Version 81', 'proprietary-nvidia-driver-versioned', ''],
  ['Deep Learning Proprietary Nvidia Driver AMI GPU PyTorch 2.0.1 (Amazon Linux 2) 20240206', 'proprietary-nvidia-driver-gpu-pytorch', '2.0.1'],
  ['Deep Learning Proprietary Nvidia Driver AMI GPU PyTorch 2.0.1 (Ubuntu 20.04) 20240116', 'proprietary-nvidia-driver-gpu-pytorch', '2.0.1'],
  ['Deep Learning Proprietary Nvidia Driver AMI GPU TensorFlow 2.16 (Amazon Linux 2) 20240729', 'proprietary-nvidia-driver-gpu-tensorflow', '2.16'],
];

/** Every located piece of a DLAMI reference. */
function pieces(ref: DlamiReference): Array<[string, Located]> {
  return [['reference', { text: ref.text, range: ref.range }], ...Object.entries(ref.dlami.parts)];
}

/** Each piece lies inside `text` and its text is the slice its range covers. */
function assertInside(text: string, idx: TextIndex, refs: readonly DlamiReference[]): void {
  for (const ref of refs) {
    for (const [what, piece] of pieces(ref)) {
      const s = idx.offsetAt(piece.range.start);
      const e = idx.offsetAt(piece.range.end);
      assert.deepEqual([idx.positionAt(s), idx.positionAt(e)], [piece.range.start, piece.range.end], `${what} outside the text`);
      assert.ok(s <= e, `${what} reversed`);
      assert.equal(text.slice(s, e), piece.text, `${what} text is not the slice of its range`);
    }
  }
}

const at0 = (o: number) => ({ line: 0, character: o });

describe('DLAMI recogniser', () => {
  it('reads every example name and SSM path as its family and framework version', () => {
    for (const [text, family, version] of EXAMPLES) {
      const ref = recognizeDlami(text, at0, catalog);
      assert.ok(ref, `not recognised: ${text}`);
      assert.deepEqual([ref.subject, ref.dlami.family, ref.version], [family, family, version], text);
      assert.equal(ref.dlami.form, text.startsWith('/') ? 'ssm-parameter' : /[*?]/.test(text) ? 'filter' : 'name', text);
      assert.equal(ref.text, text);
      assertInside(text, new TextIndex(text), [ref]);
    }
  });

  it('gives each part its text and range, with an offset mapping', () => {
    const name = 'Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.1.0 (Ubuntu 20.04) 20231103';
    const doc = `values = ["${name}"]`;
    const base = doc.indexOf(name);
    const ref = recognizeDlami(name, (o) => ({ line: 4, character: base + o }), catalog);
    assert.ok(ref);
    const parts = Object.fromEntries(Object.entries(ref.dlami.parts).map(([k, v]) => [k, [v.text, v.range.start.character, v.range.end.character]]));
    assert.deepEqual(parts, {
      frameworkVersion: ['2.1.0', doc.indexOf('2.1.0'), doc.indexOf('2.1.0') + 5],
      os: ['Ubuntu 20.04', doc.indexOf('Ubuntu'), doc.indexOf('Ubuntu') + 12],
      date: ['20231103', doc.indexOf('20231103'), doc.indexOf('20231103') + 8],
    });
    assert.deepEqual(ref.range, { start: { line: 4, character: base }, end: { line: 4, character: base + name.length } });
  });

  it('reads filters, legacy versioned names, prefixes, CUDA and architecture parts', () => {
    const cases: Array<[string, string, DlamiReference['dlami']['form'], Record<string, string>]> = [
      ['Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *', 'gpu-pytorch', 'filter', { frameworkVersion: '2.0.1', os: 'Amazon Linux 2', date: '*' }],
      ['Deep Learning AMI (Ubuntu 18.04) Version 60.*', 'conda-multi-framework', 'filter', { os: 'Ubuntu 18.04', version: '60.*' }],
      ['Deep Learning AMI (Ubuntu 18.04) Version ??.?', 'conda-multi-framework', 'filter', { os: 'Ubuntu 18.04', version: '??.?' }],
      ['Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) *', 'base-oss-nvidia-driver-gpu', 'filter', { os: 'Ubuntu 22.04', date: '*' }],
      ['amazon/Deep Learning AMI GPU TensorFlow 2.6.2 (Amazon Linux 2) 20211111', 'gpu-tensorflow', 'name', { frameworkVersion: '2.6.2', os: 'Amazon Linux 2', date: '20211111' }],
      ['AWS Deep Learning AMI GPU CUDA 11.4 (Ubuntu 20.04)', 'gpu-cuda', 'name', { cuda: '11.4', os: 'Ubuntu 20.04' }],
      ['/aws/service/deeplearning/ami/arm64/base-with-single-cuda-amazon-linux-2023/latest/ami-id', 'base-single-cuda', 'ssm-parameter', { arch: 'arm64', os: 'amazon-linux-2023' }],
    ];
    for (const [text, family, form, parts] of cases) {
      const ref = recognizeDlami(`  ${text}\n`, at0, catalog);
      assert.ok(ref, text);
      assert.deepEqual([ref.dlami.family, ref.dlami.form, ref.text], [family, form, text], text);
      assert.deepEqual(Object.fromEntries(Object.entries(ref.dlami.parts).map(([k, v]) => [k, v.text])), parts, text);
      assert.equal(ref.range.start.character, 2, 'surrounding whitespace is not part of the reference');
    }
  });

  it('rejects AMI ids, unrelated names and other SSM paths', () => {
    for (const text of ['ami-0abc1234def567890', 'Deep Learning', 'My Deep Learning AMI GPU PyTorch 2.0.1 (Ubuntu 20.04)', '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', 'Deep Learning AMI GPU PyTorch 2.0.1 (Windows 11)', '']) {
      assert.equal(recognizeDlami(text, at0, catalog), undefined, text);
    }
  });
});

describe('findDlamiReferences', () => {
  it('finds names, filters and SSM paths in Terraform, CloudFormation and shell text', () => {
    const doc = [
      'data "aws_ami" "dl" {',
      '  filter {',
      '    name   = "name"',
      '    values = ["Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.1.0 (Ubuntu 20.04) *"]',
      '  }',
      '}',
      'ImageId: "{{resolve:ssm:/aws/service/neuron/dlami/pytorch-2.9/ubuntu-24.04/latest/image_id}}"',
      'aws ssm get-parameter --name /aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.7-ubuntu-22.04/latest/ami-id',
      '# built from amazon/Deep Learning AMI GPU TensorFlow 2.6.2 (Amazon Linux 2) 20211111, see notes',
      'Deep Learning is fun; DeepLearning AMI GPU PyTorch 2.0 (Ubuntu 20.04) is not a name.',
    ].join('\n');
    const idx = new TextIndex(doc);
    const refs = findDlamiReferences(doc, (o) => idx.positionAt(o), catalog);
    assert.deepEqual(
      refs.map((r) => [r.text, r.dlami.form, r.subject, r.range.start.line]),
      [
        ['Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.1.0 (Ubuntu 20.04) *', 'filter', 'oss-nvidia-driver-gpu-pytorch', 3],
        ['/aws/service/neuron/dlami/pytorch-2.9/ubuntu-24.04/latest/image_id', 'ssm-parameter', 'neuron-pytorch', 6],
        ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.7-ubuntu-22.04/latest/ami-id', 'ssm-parameter', 'oss-nvidia-driver-gpu-pytorch', 7],
        ['amazon/Deep Learning AMI GPU TensorFlow 2.6.2 (Amazon Linux 2) 20211111', 'name', 'gpu-tensorflow', 8],
      ],
    );
    assertInside(doc, idx, refs);
  });

  it('finds every example when they are joined into one text', () => {
    const doc = EXAMPLES.map(([t]) => `- "${t}"`).join('\n');
    const idx = new TextIndex(doc);
    const refs = findDlamiReferences(doc, (o) => idx.positionAt(o), catalog);
    assert.deepEqual(refs.map((r) => [r.text, r.subject]), EXAMPLES.map(([t, f]) => [t, f]));
  });
});

describe('DLAMI recogniser properties', () => {
  const piece = fc.constantFrom(
    'Deep Learning ', 'AMI ', 'GPU ', 'PyTorch ', 'OSS Nvidia Driver ', 'Base ', 'Neuron ', '2.1.0', '2.', '*', '?', ' (', 'Ubuntu 20.04', 'Amazon Linux 2', ')',
    ' 20231103', ' Version 60.', '/aws/service/', 'deeplearning/ami/x86_64/', 'neuron/dlami/', 'pytorch-2.9/', 'ubuntu-24.04', '/latest/ami-id', 'amazon/', 'AWS ',
    ' ', '\n', '"', '\u0000', '\uD800', '🚀',
  );
  const text = fc.oneof(fc.array(piece, { maxLength: 30 }).map((a) => a.join('')), fc.string({ unit: 'binary', maxLength: 200 }));

  it('never throws and keeps every range inside the text', () => {
    fc.assert(
      fc.property(text, (t) => {
        const idx = new TextIndex(t);
        const at = (o: number) => idx.positionAt(o);
        const whole = recognizeDlami(t, at, catalog);
        assertInside(t, idx, whole ? [whole] : []);
        const found = findDlamiReferences(t, at, catalog);
        assertInside(t, idx, found);
        for (let i = 1; i < found.length; i++) assert.ok(idx.offsetAt(found[i].range.start) >= idx.offsetAt(found[i - 1].range.end), 'overlap');
      }),
      { numRuns: 1500 },
    );
  });

  it('runs over a 1 MB input and a 100 KB adversarial string', () => {
    const big = 'Deep Learning AMI GPU PyTorch 2.0.1 (Ubuntu 20.04) 20230627 /aws/service/x \u0000'.repeat(13_000).slice(0, 1_000_000);
    assert.ok(findDlamiReferences(big, at0, catalog).length > 10_000);
    assert.equal(recognizeDlami(big, at0, catalog), undefined);
    const adversarial = ['deep learning '.repeat(7_500), `Deep Learning AMI GPU PyTorch ${'1.'.repeat(50_000)}`, '/aws/service/'.repeat(8_000)];
    for (const t of adversarial) {
      const started = performance.now();
      findDlamiReferences(t, at0, catalog);
      assert.ok(Number.isFinite(performance.now() - started)); // measured, not asserted: the run finishing is the check
    }
  });
});
