import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEBOUNCE_MS, IMMEDIATE_ANALYSIS_MS, validationDelay } from '../../server/src/workspace/validationDelay';

describe('when an edited document is validated', () => {
  it('at once when its previous analysis took at most IMMEDIATE_ANALYSIS_MS, else after the debounce', () => {
    assert.equal(validationDelay(0), 0);
    assert.equal(validationDelay(IMMEDIATE_ANALYSIS_MS), 0);
    assert.equal(validationDelay(IMMEDIATE_ANALYSIS_MS + 0.01), DEBOUNCE_MS);
    assert.equal(validationDelay(40), DEBOUNCE_MS);
  });

  it('after the debounce when there is no previous analysis (a notebook cell whose kind may have changed)', () => {
    assert.equal(validationDelay(undefined), DEBOUNCE_MS);
    assert.ok(DEBOUNCE_MS > 0);
  });
});
