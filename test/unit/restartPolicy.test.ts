import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_RESTARTS, RESTART_WINDOW_MS, RestartPolicy } from '../../client/src/restartPolicy';

describe('server restart policy', () => {
  it(`restarts a crashed server at most ${MAX_RESTARTS} times within ${RESTART_WINDOW_MS / 60000} minutes`, () => {
    const p = new RestartPolicy();
    const answers = Array.from({ length: MAX_RESTARTS + 2 }, (_, i) => p.onCrash(1_000 * i).restart);
    assert.deepEqual(answers, [...Array(MAX_RESTARTS).fill(true), false, false]);
  });
  it('forgets crashes older than the window', () => {
    const p = new RestartPolicy(2, 1_000);
    assert.deepEqual([p.onCrash(0), p.onCrash(10), p.onCrash(20)].map((a) => a.restart), [true, true, false]);
    // 1,005 ms later the first two are out of the window
    assert.deepEqual(p.onCrash(1_015), { restart: true, crashes: 2 });
  });
});
