// Bench section `pathological`: the time of one lint on each pathological Dockerfile that
// test/unit/server/fuzz.test.ts checks for correctness (1 MB lines, 10,000 instructions, deep
// nesting…; test/support/pathologicalDockerfiles.ts). The unit test asserts no time: this is
// where a runaway (a hang, quadratic backtracking) shows. Budget: 2 s per input, 10 s for the
// largest (over 100,000 characters or 5,000 lines), on a loaded 2-core machine.
import { loadBundle, ms, table, timeWithCpu } from './lib.mjs';

const root = new URL('../../', import.meta.url).pathname;

const BUDGET_MS = 2000;
const LARGE_BUDGET_MS = 10_000;

/** Bundles the lint engine (minified, as dist/server.js) with the shared pathological inputs. */
function load() {
  return loadBundle({
    stdin: {
      contents: [
        "export { lint } from './server/src/linter';",
        "export { PATHOLOGICAL_DOCKERFILES } from './test/support/pathologicalDockerfiles';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
  });
}

export const section = {
  name: 'pathological',
  description: 'one lint of each pathological Dockerfile (1 MB lines, 10,000 instructions…) against a hang budget',
  async run({ quick = false } = {}) {
    const { lint, PATHOLOGICAL_DOCKERFILES } = await load();
    const rows = [];
    const over = [];
    for (const [name, make] of PATHOLOGICAL_DOCKERFILES) {
      const text = make();
      const large = text.length > 100_000 || text.split('\n').length > 5000;
      const budget = large ? LARGE_BUDGET_MS : BUDGET_MS;
      const runs = quick || large ? 1 : 3;
      let worst = 0;
      let cpu = 0;
      for (let k = 0; k < runs; k++) {
        const [wall, used] = timeWithCpu(() => lint(text));
        worst = Math.max(worst, wall);
        cpu = Math.max(cpu, used);
      }
      if (worst > budget) over.push(name);
      rows.push([name, text.length.toLocaleString('en-US'), runs, ms(worst), ms(cpu), ms(budget), worst > budget ? 'OVER' : 'ok']);
    }
    table(['input', 'characters', 'runs', 'worst ms', 'cpu ms', 'budget ms', ''], rows);
    console.log(over.length === 0 ? 'every input within its budget' : `OVER budget: ${over.join(', ')}`);
    return { over };
  },
};
