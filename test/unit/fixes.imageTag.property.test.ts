import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ruleContext } from '../../server/src/analysis';
import { minorOf } from '../../server/src/catalog/catalog';
import { parseDlcTag } from '../../server/src/catalog/images';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import { addDays, toEpochDay } from '../../server/src/dates';
import { latestPatchTarget, replacementTargets, upgradeTargets } from '../../server/src/fixes/imageTag';
import { checkContainerImage } from '../../server/src/rules/containerImage';
import { applyEdits } from '../../server/src/text';
import { imageRef } from '../fixtures/imageRefs';

const catalog = loadBundledCatalog();
const images = catalog.images!;
const E = '763104351884.dkr.ecr.us-east-1.amazonaws.com/';
const REPOS = [
  { name: 'pytorch-training', framework: 'pytorch', job: 'training' as const },
  { name: 'tensorflow-inference', framework: 'tensorflow', job: 'inference' as const },
  { name: 'huggingface-pytorch-training', framework: 'pytorch', job: 'training' as const },
];
/** Days from 2019-01-01 to 2027-12-31. */
const day = fc.integer({ min: 0, max: 3286 }).map((n) => addDays('2019-01-01', n));
const publishedTag = fc.constantFrom(...REPOS).chain((repo) => fc.constantFrom(...images.repository(repo.name)!.tags).map((tag) => ({ repo, tag })));

/** The framework version of a tag is released and supported on `asOf` for the repository's job. */
function supportedOn(framework: string, job: 'training' | 'inference', version: string, asOf: string): boolean {
  const record = catalog.frameworkVersion(framework, minorOf(version) ?? '');
  const end = record ? catalog.endOfPatch(record, job) : undefined;
  return end !== undefined && toEpochDay(end) > toEpochDay(asOf) && (!record!.ga || toEpochDay(record!.ga) <= toEpochDay(asOf));
}

describe('whole-tag fixes (property)', () => {
  it('every proposed tag is published, supported on asOf, keeps the processor, and the edited URI re-parses to it', () => {
    let checked = 0;
    fc.assert(
      fc.property(publishedTag, day, ({ repo, tag }, asOf) => {
        const uri = `${E}${repo.name}:${tag}`;
        const ref = imageRef(uri, catalog);
        const findings = checkContainerImage(ref, ruleContext(catalog, { asOf }));
        const from = parseDlcTag(tag)!;
        for (const f of findings) {
          for (const fix of f.fixes) {
            const tagEdits = fix.edits.filter((e) => e.range.start.character === ref.image.tag!.range.start.character);
            for (const e of tagEdits) {
              assert.deepEqual(e.range, ref.image.tag!.range, `${fix.title}: edits the tag range`);
              const target = e.newText;
              assert.ok(images.isPublished(repo.name, target), `${fix.title}: ${target} is published in ${repo.name}`);
              const parts = parseDlcTag(target)!;
              assert.ok(supportedOn(repo.framework, repo.job, parts.frameworkVersion!.text, asOf), `${fix.title}: ${target} supported on ${asOf}`);
              assert.equal(parts.processor?.text, from.processor?.text, `${fix.title}: keeps the processor`);
              assert.equal(parts.platform?.text, from.platform?.text, `${fix.title}: keeps the platform`);
              const edited = imageRef(applyEdits(uri, fix.edits), catalog);
              assert.equal(edited.image.tag?.text, target, `${fix.title}: re-parses to the target tag`);
              assert.equal(edited.image.repository.text, repo.name);
              checked++;
            }
          }
        }
      }),
      { numRuns: 300, seed: 20261121 },
    );
    assert.ok(checked > 50, `only ${checked} tag fixes were checked`);
  });

  it('latest patch keeps the framework version and only moves to a later patch', () => {
    fc.assert(
      fc.property(publishedTag, day, ({ repo, tag }, asOf) => {
        const q = { catalog, repository: repo.name, tag, supported: (v: string) => supportedOn(repo.framework, repo.job, v, asOf) };
        const patch = latestPatchTarget(q);
        if (patch) {
          const fv = parseDlcTag(tag)!.frameworkVersion!.text;
          assert.equal(minorOf(patch.frameworkVersion), minorOf(fv));
          assert.ok(patch.frameworkVersion.localeCompare(fv, undefined, { numeric: true }) > 0, `${patch.tag} after ${tag}`);
          assert.ok(images.isPublished(repo.name, patch.tag));
        }
        const { nearest, latest } = upgradeTargets(q);
        for (const t of [nearest, latest, ...replacementTargets(q, 3)]) if (t) assert.ok(images.isPublished(repo.name, t.tag) && q.supported(t.frameworkVersion), t.tag);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('never throws on arbitrary tags, and every finding range lies inside the reference', () => {
    const tagChars = fc.constantFrom(...'0123456789.-abcdegilnoprstuvxy_${}'.split(''));
    fc.assert(
      fc.property(fc.constantFrom(...REPOS), fc.array(tagChars, { maxLength: 60 }).map((a) => a.join('')), day, (repo, tag, asOf) => {
        const uri = tag ? `${E}${repo.name}:${tag}` : `${E}${repo.name}`;
        const ref = imageRef(uri, catalog);
        for (const f of checkContainerImage(ref, ruleContext(catalog, { asOf }))) {
          assert.ok(f.range.start.character >= 0 && f.range.end.character <= uri.length);
          for (const fix of f.fixes) for (const e of fix.edits) assert.ok(e.range.start.character >= 0 && e.range.end.character <= uri.length);
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
