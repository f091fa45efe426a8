/**
 * Protocol tests of infrastructure code over stdio: a Terraform module whose image tag lives in a
 * variable default, and a CDK stack in TypeScript with `ContainerImage.fromDlc(repository, tag)`.
 * Neither language is contributed by the extension (`terraform` is opened with the language id a
 * Terraform extension gives it, or `plaintext` when there is none): the server reads them by path.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import { CodeActionRequest, DidChangeConfigurationNotification, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/src/text';
import type { Session } from './session';
import { start, stop } from './session';

const OLD_TAG = '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';

const TF_URI = 'file:///workspace/infra/main.tf';
const TF = [
  'variable "image_tag" {',
  `  default = "${OLD_TAG}"`,
  '}',
  '',
  'resource "aws_sagemaker_model" "model" {',
  '  name               = "trainer"',
  '  execution_role_arn = aws_iam_role.sagemaker.arn',
  '  primary_container {',
  '    image = "763104351884.dkr.ecr.${var.region}.amazonaws.com/pytorch-training:${var.image_tag}"',
  '  }',
  '}',
  '',
].join('\n');

const CDK_URI = 'file:///workspace/cdk/lib/endpoint-stack.ts';
const CDK = [
  "import * as sagemaker from '@aws-cdk/aws-sagemaker-alpha';",
  '',
  "const REPOSITORY = 'pytorch-training';",
  'export const image = sagemaker.ContainerImage.fromDlc(REPOSITORY, \'2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker\');',
  '',
].join('\n');

async function open(s: Session, uri: string, languageId: string, text: string) {
  const wait = s.next(uri, 1);
  await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  return wait;
}

async function hoverText(s: Session, uri: string, position: { line: number; character: number }): Promise<string> {
  const hover = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  return hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
}

describe('language server on infrastructure code', () => {
  let s: Session;
  before(async () => {
    s = await start(false, { asOf: '2026-11-21' });
  });
  after(async () => stop(s));

  for (const languageId of ['terraform', 'plaintext']) {
    it(`Terraform (${languageId}): finds the image, hovers on it, and fixes the tag in the variable default`, async () => {
      const uri = TF_URI.replace('main.tf', `main-${languageId}.tf`);
      const published = await open(s, uri, languageId, TF);
      const eop = published.diagnostics.find((d) => d.code === 'end-of-patch');
      assert.ok(eop, `no end-of-patch among ${JSON.stringify(published.diagnostics.map((d) => d.code))}`);
      assert.match(String(eop.message), /PyTorch 2\.1 reached end of patch on 2024-10-04/);
      assert.equal(eop.range.start.line, 8, 'reported on the image attribute');

      assert.match(await hoverText(s, uri, { line: 8, character: 60 }), /pytorch-training/);

      const actions = (await s.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: eop.range, context: { diagnostics: [eop] } })) as CodeAction[];
      const update = actions.find((a) => a.title.startsWith('Update image to '));
      assert.ok(update, `no whole-tag fix among ${JSON.stringify(actions.map((a) => a.title))}`);
      const edits = update.edit!.changes![uri];
      assert.ok(edits.every((e) => e.range.start.line === 1), 'the edit is in the variable default, where the tag is written');
      const fixed = applyEdits(TF, edits);
      const newTag = /default = "([^"]+)"/.exec(fixed)![1];
      assert.match(newTag, /^2\.\d+\.\d+-gpu-py3\d+-cu\d+-ubuntu\d+\.\d+-sagemaker$/);
      assert.notEqual(newTag, OLD_TAG);
      assert.equal(fixed.split('\n').slice(2).join('\n'), TF.split('\n').slice(2).join('\n'), 'nothing else changes');

      const next = s.next(uri, 2);
      await s.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
      const left = (await next).diagnostics.map((d) => String(d.code)).filter((c) => c !== 'end-of-patch-soon');
      assert.deepEqual(left, [], `after the fix to ${newTag}: ${left.join(', ')}`);
    });
  }

  it('CDK TypeScript: ContainerImage.fromDlc(repository, tag) is judged as one image and fixed at the tag', async () => {
    const published = await open(s, CDK_URI, 'typescript', CDK);
    const eop = published.diagnostics.find((d) => d.code === 'end-of-patch');
    assert.ok(eop, `no end-of-patch among ${JSON.stringify(published.diagnostics.map((d) => d.code))}`);
    assert.equal(eop.range.start.line, 3);
    assert.equal(CDK.split('\n')[3].slice(eop.range.start.character, eop.range.end.character), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker', 'reported at the tag literal');
    assert.match(await hoverText(s, CDK_URI, { line: 3, character: eop.range.start.character + 2 }), /pytorch-training/);

    const actions = (await s.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: CDK_URI }, range: eop.range, context: { diagnostics: [eop] } })) as CodeAction[];
    const update = actions.find((a) => a.title.startsWith('Update image to '));
    assert.ok(update, `no whole-tag fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    const fixed = applyEdits(CDK, update.edit!.changes![CDK_URI]);
    assert.match(fixed.split('\n')[3], /fromDlc\(REPOSITORY, '2\.\d+\.\d+-gpu-py3\d+-cu\d+-ubuntu\d+\.\d+-sagemaker'\);$/);
    const suppress = actions.find((a) => a.title.startsWith('Ignore end-of-patch'));
    assert.ok(suppress);
    assert.match(suppress.edit!.changes![CDK_URI][0].newText, /^\/\/ dl-lifecycle: ignore end-of-patch\n$/, 'the directive is written as a // comment');
  });

  it('an unrelated TypeScript file and an unrelated YAML file get no diagnostics', async () => {
    assert.deepEqual((await open(s, 'file:///workspace/src/util.ts', 'typescript', 'export const add = (a: number, b: number) => a + b;\n')).diagnostics, []);
    assert.deepEqual((await open(s, 'file:///workspace/.github/labeler.yml', 'yaml', 'docs:\n  - docs/**\n')).diagnostics, []);
  });

  it('scripts are read only with dlLifecycle.textFiles.enabled, and the setting applies to open scripts at once', async () => {
    const uri = 'file:///workspace/scripts/pull.sh';
    const script = 'docker pull 763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker\n';
    assert.deepEqual((await open(s, uri, 'shellscript', script)).diagnostics, [], 'off by default');
    const wait = s.next(uri, 1);
    await s.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { dlLifecycle: { asOf: '2026-11-21', textFiles: { enabled: true } } } });
    const on = await wait;
    assert.ok(on.diagnostics.some((d) => d.code === 'end-of-patch'), JSON.stringify(on.diagnostics.map((d) => d.code)));
    assert.equal(on.diagnostics[0].range.start.line, 0);
  });
});
