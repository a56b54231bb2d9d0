/** The one waitFor of the test suites: what it returns, when it gives up, and what it says then. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GiveUp, waitFor } from '../../support/waitFor';

describe('waitFor', () => {
  it("returns the condition's first truthy value", async () => {
    let calls = 0;
    assert.equal(await waitFor('the third call', () => (++calls === 3 ? 'done' : undefined)), 'done');
    assert.equal(calls, 3);
  });

  it('with `until`, returns the first value it accepts (even a falsy one)', async () => {
    let n = 3;
    assert.equal(await waitFor('zero', () => --n, { until: (v) => v === 0 }), 0);
  });

  it('keeps polling through errors and names the last one on timeout', async () => {
    await assert.rejects(
      waitFor(
        'a server',
        () => {
          throw new Error('ECONNREFUSED');
        },
        { timeoutMs: 50 },
      ),
      /^Error: timed out after 50 ms waiting for a server \(last error: ECONNREFUSED\)$/,
    );
  });

  it('names the last value seen on timeout', async () => {
    await assert.rejects(
      waitFor('one toast', () => ['a', 'b'], { timeoutMs: 50, until: (t) => t.length === 1 }),
      /waiting for one toast \(last value: \["a","b"\]\)/,
    );
  });

  it('stops at once on GiveUp', async () => {
    const start = Date.now();
    await assert.rejects(
      waitFor(
        'a child process',
        () => {
          throw new GiveUp('it exited');
        },
        { timeoutMs: 10_000 },
      ),
      /it exited/,
    );
    assert.ok(Date.now() - start < 5_000);
  });
});
