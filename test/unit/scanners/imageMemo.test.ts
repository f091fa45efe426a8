/** The image recogniser remembers what it classified per URI text (server/src/scanners/images/imageUri.ts): each occurrence still gets its own ranges and its own objects. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import { findImageReferences, recognizeImage } from '../../../server/src/scanners/images';

const catalog = loadBundledCatalog();
const URI = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';

describe('a repeated image URI', () => {
  it('is placed at each of its own offsets, and a caller changing one result does not change the next', () => {
    const text = `docker pull ${URI}\n  FROM ${URI} AS x`;
    const at = (o: number) => { const line = text.slice(0, o).split('\n').length - 1; return { line, character: o - (text.lastIndexOf('\n', o - 1) + 1) }; };
    const [a, b] = findImageReferences(text, at, catalog);
    assert.deepEqual([a.range.start, b.range.start], [{ line: 0, character: 12 }, { line: 1, character: 7 }]);
    assert.deepEqual(b.image.parts.frameworkVersion?.range.start, { line: 1, character: 7 + URI.indexOf(':2.1.0') + 1 });
    a.image.parts.frameworkVersion!.text = 'changed';
    a.image.repository.range.start.character = -1;
    const again = recognizeImage(URI, (o) => ({ line: 5, character: o }), catalog)!;
    assert.equal(again.image.parts.frameworkVersion?.text, '2.1.0');
    assert.deepEqual(again.image.repository.range.start, { line: 5, character: URI.indexOf('/') + 1 });
    assert.deepEqual(again, recognizeImage(` ${URI}`, (o) => ({ line: 5, character: o - 1 }), catalog));
  });
});
