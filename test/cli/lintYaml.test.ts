/** `green-cloud lint` on Kubernetes manifests and Compose files, through dist/cli.js. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SETTINGS } from '../../core/src/settings';
import { lintYaml } from '../../server/src/yamlLinter';
import { requireBuiltCli, runCli } from './cliProcess';
import { scratchDir, type Scratch } from '../support/scratch';

const DEPLOYMENT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n      containers:\n        - name: postgres\n          image: arm64v8/postgres:16\n';
const COMPOSE = 'services:\n  web:\n    image: multiarch/alpine:armhf-v3.7\n';
const WORKFLOW = 'on: push\njobs:\n  t:\n    container: {image: arm64v8/alpine}\n';

describe('green-cloud lint on Kubernetes and Compose files', () => {
  let ws: Scratch;
  before(() => {
    requireBuiltCli();
    ws = scratchDir({
      'k8s/db.yaml': DEPLOYMENT,
      'compose.yaml': COMPOSE,
      'deploy/docker-compose.prod.yml': COMPOSE,
      '.github/workflows/ci.yml': DEPLOYMENT,
      'node_modules/x/compose.yaml': COMPOSE,
      'ci.yml': WORKFLOW,
      'values.yaml': 'image:\n  repository: arm64v8/nginx\n',
      'big/huge.yaml': `${DEPLOYMENT}${'#'.repeat(1024 * 1024)}\n`,
      Dockerfile: 'FROM alpine:3.20\n',
    });
  });
  after(() => ws.dispose());

  it('reports the same findings as lintYaml, in tty with exit 1', async () => {
    const r = await runCli(['lint', 'k8s/db.yaml'], { cwd: ws.dir });
    assert.equal(r.code, 1, r.stderr);
    const [d] = lintYaml(DEPLOYMENT, DEFAULT_SETTINGS, { fileName: 'k8s/db.yaml' });
    assert.equal(r.stdout, `k8s/db.yaml:10:18 warning GC302 ${d.message}\n\n1 problem (1 warning) in 1 file.\n`);
  });

  it('json and SARIF carry the GC3xx findings and rules', async () => {
    const json = await runCli(['lint', '-f', 'json', 'compose.yaml'], { cwd: ws.dir });
    assert.equal(json.code, 1);
    const findings = JSON.parse(json.stdout) as { code: string; range: { start: { line: number; character: number } } }[];
    assert.deepEqual(
      findings.map((f) => [f.code, f.range.start.line, f.range.start.character]),
      [['GC302', 2, 28]],
    );
    const sarif = await runCli(['lint', '-f', 'sarif', 'compose.yaml'], { cwd: ws.dir });
    const log = JSON.parse(sarif.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[] };
    const ids = log.runs[0].tool.driver.rules.map((r) => r.id);
    for (const code of ['GC301', 'GC302', 'GC303', 'GC304']) assert.ok(ids.includes(code), `SARIF lacks ${code}`);
    assert.deepEqual(
      log.runs[0].results.map((r) => r.ruleId),
      ['GC302'],
    );
  });

  it('walks a directory: Compose by name, Kubernetes by content; skips node_modules, hidden folders, other YAML and files over 1 MB with a note', async () => {
    const r = await runCli(['lint', '-f', 'json', '.'], { cwd: ws.dir });
    assert.equal(r.code, 1, r.stderr);
    const files = [...new Set((JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file))];
    assert.deepEqual(files, ['compose.yaml', 'deploy/docker-compose.prod.yml', 'k8s/db.yaml']);
    assert.match(r.stderr, /Skipped 'big\/huge\.yaml': \d+ bytes is over the 1 MB \(1048576 bytes\) limit of a directory walk\./);
  });

  it('a YAML file over 1 MB named directly is skipped with a note, like the walk, and leaves the exit code alone', async () => {
    const note =
      /green-cloud lint: Skipped 'big\/huge\.yaml': \d+ bytes is over the 1 MB \(1048576 bytes\) limit of Kubernetes and Compose files; it was not linted\./;
    const withOther = await runCli(['lint', '-f', 'json', 'big/huge.yaml', 'k8s/db.yaml'], { cwd: ws.dir });
    assert.equal(withOther.code, 1, withOther.stderr);
    assert.match(withOther.stderr, note);
    assert.deepEqual([...new Set((JSON.parse(withOther.stdout) as { file: string }[]).map((f) => f.file))], ['k8s/db.yaml']);
    const alone = await runCli(['lint', 'big/huge.yaml'], { cwd: ws.dir });
    assert.equal(alone.code, 0, alone.stdout + alone.stderr);
    assert.match(alone.stderr, note);
    assert.doesNotMatch(alone.stdout, /GC30\d/);
    const stdin = await runCli(['lint', '-f', 'json', '--stdin-filename', 'huge.yaml', '-'], {
      cwd: ws.dir,
      stdin: `${DEPLOYMENT}${'#'.repeat(1024 * 1024)}\n`,
    });
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.match(stdin.stderr, /Skipped 'huge\.yaml': \d+ bytes is over the 1 MB \(1048576 bytes\) limit of Kubernetes and Compose files/);
    assert.deepEqual(JSON.parse(stdin.stdout), []);
  });

  it('--rule GC302=off and --fail-level apply to YAML rules; stdin takes --stdin-filename', async () => {
    const off = await runCli(['lint', '--rule', 'GC302=off', 'k8s/db.yaml'], { cwd: ws.dir });
    assert.equal(off.code, 0, off.stdout + off.stderr);
    const stdin = await runCli(['lint', '-f', 'json', '--stdin-filename', 'pod.yaml', '-'], { cwd: ws.dir, stdin: DEPLOYMENT });
    assert.equal(stdin.code, 1, stdin.stderr);
    assert.deepEqual(
      (JSON.parse(stdin.stdout) as { code: string }[]).map((f) => f.code),
      ['GC302'],
    );
  });

  it('other YAML passed by name gives no finding, exit 0', async () => {
    const r = await runCli(['lint', 'ci.yml', 'values.yaml'], { cwd: ws.dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});
