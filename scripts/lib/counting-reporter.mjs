// node:test reporter that writes {passed, failed, skipped} as JSON (used by scripts/test.mjs
// to print one closing line for the whole run). Suites (describe) are not counted, tests are.
/** @param {AsyncIterable<import('node:test/reporters').TestEvent>} source */
export default async function* countingReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: /** @type {string[]} */ ([]) };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data;
    if (data.details?.type === 'suite') continue;
    if (data.skip || data.todo) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(`${data.file ?? ''} › ${data.name}`);
    }
  }
  yield JSON.stringify(counts);
}
