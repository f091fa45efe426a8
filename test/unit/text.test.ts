import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { matchesSegments } from '../../server/src/text';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('matchesSegments', () => {
  it('matches the segments in order, joined by any texts, first at the start and last at the end', () => {
    assert.equal(matchesSegments(['2.1.0-', '-py310'], '2.1.0-gpu-py310'), true);
    assert.equal(matchesSegments(['2.1.0-', '-py310'], '2.1.0-py310'), false, 'the segments may not overlap');
    assert.equal(matchesSegments(['1.', '.', ''], '1.2.3'), true);
    assert.equal(matchesSegments(['2.1.0'], '2.1.0'), true);
    assert.equal(matchesSegments(['2.1.0'], '2.1.0-0'), false);
  });

  it('agrees with the regular expression of the segments joined by `.*`', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[ab.-]{0,3}$/), { minLength: 1, maxLength: 4 }), fc.stringMatching(/^[ab.-]{0,10}$/), (segments, text) => {
        const re = new RegExp(`^${segments.map(escape).join('[^]*')}$`);
        assert.equal(matchesSegments(segments, text), re.test(text));
      }),
    );
  });
});
