/** The `green-cloud` dispatcher: help, version, per-command help, through dist/cli.js. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CLI, requireBuiltCli, ROOT, runCli } from './cliProcess';

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

describe('green-cloud', () => {
  before(requireBuiltCli);

  it('is the bin of package.json and starts with a node shebang', () => {
    assert.equal(join(ROOT, packageJson.bin['green-cloud']), CLI);
    assert.match(readFileSync(CLI, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  for (const flag of ['--version', '-v']) {
    it(`${flag} prints the package version`, async () => {
      const r = await runCli([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${packageJson.version}\n`);
    });
  }

  for (const args of [['--help'], ['-h'], ['help']]) {
    it(`${args.join(' ')} lists the commands, exit 0`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage: green-cloud COMMAND \[options\]/);
      assert.match(r.stdout, /\n {2}lint +Lint Dockerfiles for multi-architecture mistakes/);
      assert.equal(r.stderr, '');
    });
  }

  it('without a command prints the usage on stderr, exit 2', async () => {
    const r = await runCli([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Usage: green-cloud COMMAND/);
    assert.equal(r.stdout, '');
  });

  for (const args of [
    ['lint', '--help'],
    ['lint', '-h'],
    ['help', 'lint'],
    ['lint', 'Dockerfile', '--format', 'json', '--help'],
  ]) {
    it(`${args.join(' ')} prints the lint usage, exit 0`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Usage: green-cloud lint \[options\] FILE\.\.\./);
      for (const option of ['--format', '--platforms', '--fail-level', '--rule', '--stdin-filename'])
        assert.ok(r.stdout.includes(option), option);
    });
  }

  it('help for an unknown command is a usage error', async () => {
    const r = await runCli(['help', 'frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });
});
