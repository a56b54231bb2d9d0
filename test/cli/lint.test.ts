/** `green-cloud lint`: formats, stdin, several files, flags and exit codes, through dist/cli.js. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parsePlatform } from '../../core/src/platforms';
import { lint } from '../../server/src/linter';
import { sanitizeSettings } from '../../core/src/settings';
import { SEVERITY_NAME } from '../support/lint';
import { BAD_DIRECTIVE, CLEAN, PINNED, requireBuiltCli, runCli } from './cliProcess';
import { scratchDir, type Scratch } from '../support/scratch';

interface JsonFinding {
  file: string;
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

function parseJson(stdout: string): JsonFinding[] {
  const parsed: unknown = JSON.parse(stdout);
  assert.ok(Array.isArray(parsed), `expected a JSON array, got: ${stdout}`);
  return parsed as JsonFinding[];
}

/** What the engine itself reports for `text`, in the JSON shape (the CLI must agree exactly). */
function engineFindings(file: string, text: string, rawSettings?: unknown): JsonFinding[] {
  return lint(text, sanitizeSettings(rawSettings)).map((d) => ({
    file,
    code: d.code,
    severity: SEVERITY_NAME[d.severity ?? 1],
    message: d.message,
    range: d.range,
  }));
}

describe('green-cloud lint', () => {
  let ws: Scratch;
  before(() => {
    requireBuiltCli();
    ws = scratchDir({
      Dockerfile: PINNED,
      'clean/Dockerfile': CLEAN,
      'app/Containerfile': 'FROM amd64/debian:12\n',
      'directive/Dockerfile': BAD_DIRECTIVE,
      'arm-only/Dockerfile': '# platforms=linux/arm64\nFROM arm64v8/alpine:3.19\n',
      'empty/notes.txt': 'FROM arm64v8/alpine\n',
    });
  });
  after(() => ws.dispose());

  describe('--format tty', () => {
    it('prints file:line:col severity code message and a summary, exit 1 on a warning', async () => {
      const r = await runCli(['lint', 'Dockerfile'], { cwd: ws.dir });
      assert.equal(r.code, 1, r.stderr);
      const [expected] = engineFindings('Dockerfile', PINNED);
      assert.equal(r.stdout, `Dockerfile:1:6 warning GC101 ${expected.message}\n\n1 problem (1 warning) in 1 file.\n`);
      assert.equal(r.stderr, '');
    });

    it('says so when nothing is found, exit 0', async () => {
      const r = await runCli(['lint', 'clean/Dockerfile'], { cwd: ws.dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'No problems found in 1 file.\n');
    });

    it('uses no colours when stdout is not a terminal, colours with FORCE_COLOR, none with NO_COLOR', async () => {
      const plain = await runCli(['lint', 'Dockerfile'], { cwd: ws.dir });
      assert.doesNotMatch(plain.stdout, /\u001b\[/);
      const forced = await runCli(['lint', 'Dockerfile'], { cwd: ws.dir, env: { FORCE_COLOR: '1' } });
      assert.match(forced.stdout, /\u001b\[33mwarning\u001b\[39m/);
      assert.equal(forced.stdout.replace(/\u001b\[[0-9;]*m/g, ''), plain.stdout);
      const noColour = await runCli(['lint', 'Dockerfile'], { cwd: ws.dir, env: { NO_COLOR: '1' } });
      assert.equal(noColour.stdout, plain.stdout);
    });

    it('summarises several files', async () => {
      const r = await runCli(['lint', 'Dockerfile', 'clean/Dockerfile', 'app/Containerfile'], { cwd: ws.dir });
      assert.equal(r.code, 1);
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0], /^Dockerfile:1:6 warning GC101 /);
      assert.match(lines[1], /^app\/Containerfile:1:6 warning GC101 Base image 'amd64\/debian:12'/);
      assert.equal(lines.at(-1), '2 problems (2 warnings) in 2 of 3 files.');
    });
  });

  describe('--format json', () => {
    it('prints {file, code, severity, message, range} with 0-based LSP ranges, exactly as the engine', async () => {
      const r = await runCli(['lint', '--format', 'json', 'Dockerfile'], { cwd: ws.dir });
      assert.equal(r.code, 1, r.stderr);
      const findings = parseJson(r.stdout);
      assert.deepEqual(findings, engineFindings('Dockerfile', PINNED));
      assert.equal(findings.length, 1);
      assert.deepEqual(
        { code: findings[0].code, severity: findings[0].severity, range: findings[0].range },
        { code: 'GC101', severity: 'warning', range: { start: { line: 0, character: 5 }, end: { line: 0, character: 19 } } },
      );
    });

    it('prints an empty array for a clean file (-f short flag)', async () => {
      const r = await runCli(['lint', '-f', 'json', 'clean/Dockerfile'], { cwd: ws.dir });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(parseJson(r.stdout), []);
    });

    it('keeps the order of the files given and names each as given', async () => {
      const r = await runCli(
        ['lint', '--format=json', 'app/Containerfile', `${ws.dir}/Dockerfile`, 'clean/Dockerfile', 'directive/Dockerfile'],
        { cwd: ws.dir },
      );
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(parseJson(r.stdout), [
        ...engineFindings('app/Containerfile', 'FROM amd64/debian:12\n'),
        ...engineFindings(`${ws.dir}/Dockerfile`, PINNED),
        ...engineFindings('directive/Dockerfile', BAD_DIRECTIVE),
      ]);
    });

    it('lints a file given twice once', async () => {
      const r = await runCli(['lint', '--format', 'json', 'Dockerfile', './Dockerfile'], { cwd: ws.dir });
      assert.equal(parseJson(r.stdout).length, 1);
    });
  });

  describe('directories', () => {
    it('lints the Dockerfiles under a directory (Dockerfile-* too), sorted, skipping node_modules and hidden folders', async () => {
      const tree = scratchDir({
        Dockerfile: PINNED,
        'services/api/Dockerfile.dev': 'FROM amd64/node:20\n',
        'services/api/notes.md': 'FROM arm64v8/alpine\n',
        'services/web.Dockerfile': CLEAN,
        'services/worker/Containerfile': 'FROM arm32v7/python:3.12\n',
        'services/Dockerfile-old': PINNED,
        'node_modules/pkg/Dockerfile': PINNED,
        '.git/Dockerfile': PINNED,
      });
      try {
        const r = await runCli(['lint', '--format', 'json', '.'], { cwd: tree.dir });
        assert.equal(r.code, 1, r.stderr);
        assert.deepEqual(
          parseJson(r.stdout).map((f) => `${f.file} ${f.code}`),
          ['Dockerfile GC101', 'services/Dockerfile-old GC101', 'services/api/Dockerfile.dev GC101', 'services/worker/Containerfile GC101'],
        );
        const tty = await runCli(['lint', 'services/'], { cwd: tree.dir });
        assert.equal(tty.code, 1, tty.stderr);
        assert.match(tty.stdout, /^services\/Dockerfile-old:\d+:\d+ warning GC101 /);
        assert.match(tty.stdout, /3 problems \(3 warnings\) in 3 of 4 files\.\n$/);
      } finally {
        tree.dispose();
      }
    });
  });

  describe('standard input', () => {
    it("reads '-' as <stdin>", async () => {
      const r = await runCli(['lint', '--format', 'json', '-'], { cwd: ws.dir, stdin: PINNED });
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(parseJson(r.stdout), engineFindings('<stdin>', PINNED));
    });

    it('names standard input with --stdin-filename, beside other files', async () => {
      const r = await runCli(['lint', '--stdin-filename', 'docker/Dockerfile', 'clean/Dockerfile', '-'], {
        cwd: ws.dir,
        stdin: 'FROM arm32v7/node:20\n',
      });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^docker\/Dockerfile:1:6 warning GC101 Base image 'arm32v7\/node:20'/m);
      assert.match(r.stdout, /1 problem \(1 warning\) in 1 of 2 files\.\n$/);
    });

    it('lints empty input without findings', async () => {
      const r = await runCli(['lint', '-'], { cwd: ws.dir, stdin: '' });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'No problems found in 1 file.\n');
    });

    it('survives binary junk and a 1 MB line', async () => {
      const junk = Buffer.concat([
        Buffer.from([0, 1, 2, 0xff, 0xfe, 0x1b, 0x5b]),
        Buffer.from(`FROM ${'a'.repeat(1 << 20)}\nRUN ["unterminated\n`),
      ]);
      const r = await runCli(['lint', '--format', 'json', '-'], { cwd: ws.dir, stdin: junk });
      assert.equal(r.stderr, '');
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}`);
      parseJson(r.stdout);
    });
  });

  describe('--fail-level and --rule', () => {
    const cases: [string[], number][] = [
      [[], 1], // default fail level: warning
      [['--fail-level', 'warning'], 1],
      [['--fail-level', 'error'], 0],
      [['--fail-level', 'none'], 0],
      [['--fail-level', 'info'], 1],
      [['--rule', 'GC101=error', '--fail-level', 'error'], 1],
      [['--rule', 'GC101=info'], 0],
      [['--rule', 'GC101=info', '--fail-level', 'info'], 1],
      [['--rule', 'GC101=hint', '--fail-level', 'info'], 0],
      [['--rule', 'GC101=hint', '--fail-level', 'hint'], 1],
      [['--rule', 'gc101=OFF', '--fail-level', 'hint'], 0],
    ];
    for (const [flags, code] of cases) {
      it(`${flags.join(' ') || '(no flags)'} → exit ${code}`, async () => {
        const r = await runCli(['lint', '--format', 'json', ...flags, 'Dockerfile'], { cwd: ws.dir });
        assert.equal(r.code, code, r.stderr);
        const findings = parseJson(r.stdout);
        const override = flags
          .find((f) => f.includes('='))
          ?.split('=')[1]
          .toLowerCase();
        if (override === 'off') assert.deepEqual(findings, []);
        else
          assert.deepEqual(
            findings.map((f) => f.severity),
            [override ?? 'warning'],
          );
      });
    }

    it('fails on an error (GC001) at --fail-level error', async () => {
      const r = await runCli(['lint', '--fail-level', 'error', 'directive/Dockerfile'], { cwd: ws.dir });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^directive\/Dockerfile:1:25 error GC001 /);
    });
  });

  describe('--platforms', () => {
    it('overrides the target platforms', async () => {
      const armOnly = await runCli(['lint', '--platforms', 'linux/arm64', 'Dockerfile'], { cwd: ws.dir });
      assert.equal(armOnly.code, 0, armOnly.stdout);
      assert.equal(armOnly.stdout, 'No problems found in 1 file.\n');

      const two = await runCli(['lint', '--format', 'json', '--platforms', 'linux/arm64, linux/amd64', 'Dockerfile'], { cwd: ws.dir });
      assert.equal(two.code, 1);
      assert.deepEqual(parseJson(two.stdout), engineFindings('Dockerfile', PINNED, { platforms: ['linux/arm64', 'linux/amd64'] }));
      const [finding] = parseJson(two.stdout);
      assert.match(finding.message, /linux\/amd64/);
      assert.doesNotMatch(finding.message, /arm\/v7/);
    });

    it("yields to a file's own '# platforms=' directive", async () => {
      const r = await runCli(['lint', '--platforms', 'linux/amd64,linux/arm64', 'arm-only/Dockerfile'], { cwd: ws.dir });
      assert.equal(r.code, 0, r.stdout);
    });

    it("rejects a bad platform with the parser's message, exit 2", async () => {
      const r = await runCli(['lint', '--platforms', 'linux/arm64,foo/bar', 'Dockerfile'], { cwd: ws.dir });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      let parserMessage = '';
      try {
        parsePlatform('foo/bar');
      } catch (error) {
        parserMessage = (error as Error).message;
      }
      assert.ok(parserMessage !== '');
      assert.ok(r.stderr.includes(parserMessage), r.stderr);
      assert.match(r.stderr, /^green-cloud lint: --platforms: /);
    });

    it('rejects an empty platform list, exit 2', async () => {
      const r = await runCli(['lint', '--platforms', ' , ', 'Dockerfile'], { cwd: ws.dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--platforms is empty/);
    });
  });

  describe('--cross-build-image', () => {
    it('marks a base image as a cross-build image (repeatable)', async () => {
      const text = 'FROM myorg/armbuilder:1\nRUN echo hi\n';
      const without = await runCli(['lint', '--format', 'json', '-'], { cwd: ws.dir, stdin: text });
      assert.equal(without.code, 0, without.stderr);
      assert.deepEqual(parseJson(without.stdout), []);
      const args = ['lint', '--format', 'json', '--cross-build-image', 'other/image', '--cross-build-image', 'MyOrg/ArmBuilder', '-'];
      const marked = await runCli(args, { cwd: ws.dir, stdin: text });
      assert.equal(marked.code, 1, marked.stderr);
      const expected = engineFindings('<stdin>', text, { crossBuild: { images: ['other/image', 'myorg/armbuilder'] } });
      assert.ok(expected.length > 0);
      assert.deepEqual(parseJson(marked.stdout), expected);
    });
  });

  describe('usage and file errors (exit 2, a clear message, nothing on stdout)', () => {
    const cases: [string, string[], RegExp][] = [
      ['a missing file', ['lint', 'Dockerfile', 'nope/Dockerfile'], /Cannot read 'nope\/Dockerfile': no such file\. Check the path/],
      [
        'a directory without Dockerfiles',
        ['lint', 'empty'],
        /'empty' is a directory with no Dockerfile, Compose file or Kubernetes manifest in it \(looked for Dockerfile, Containerfile, Dockerfile\.\*, Dockerfile-\*, \*\.Dockerfile, compose\.yaml, docker-compose\.\*\.yml, and \*\.yaml with apiVersion and kind\)\. Pass a file's path\./,
      ],
      [
        'an unknown flag',
        ['lint', '--frobnicate', 'Dockerfile'],
        /Unknown option '--frobnicate'[^]*Run 'green-cloud lint --help' for usage/,
      ],
      ['a flag without its value', ['lint', 'Dockerfile', '--format'], /--format/],
      ['a bad format', ['lint', '--format', 'xml', 'Dockerfile'], /--format 'xml' is not one of tty, json, sarif/],
      [
        'a bad fail level',
        ['lint', '--fail-level', 'fatal', 'Dockerfile'],
        /--fail-level 'fatal' is not one of error, warning, info, hint, none/,
      ],
      ['an unknown rule', ['lint', '--rule', 'GC999=off', 'Dockerfile'], /there is no rule GC999 \(rules: GC001, GC101/],
      ['a bad severity', ['lint', '--rule', 'GC101=loud', 'Dockerfile'], /'loud' is not a severity \(off, hint, info, warning, error\)/],
      ['a malformed --rule', ['lint', '--rule', 'GC101', 'Dockerfile'], /--rule 'GC101' is not CODE=SEVERITY/],
      ['no files', ['lint'], /No files given\. Pass Dockerfile paths, or '-' to read standard input\./],
      ['stdin twice', ['lint', '-', '-'], /'-' \(standard input\) can be given only once/],
      ['an unknown command', ['frobnicate'], /^green-cloud: unknown command 'frobnicate'\. Run 'green-cloud --help'/],
      ['an unknown global option', ['--frobnicate'], /^green-cloud: unknown option '--frobnicate'/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const r = await runCli(args, { cwd: ws.dir });
        assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
      });
    }

    it('reports every unreadable file at once', async () => {
      const r = await runCli(['lint', 'a/Dockerfile', 'Dockerfile', 'b/Dockerfile'], { cwd: ws.dir });
      assert.equal(r.code, 2);
      assert.deepEqual(
        r.stderr
          .trimEnd()
          .split('\n')
          .map((l) => /Cannot read '([^']+)'/.exec(l)?.[1]),
        ['a/Dockerfile', 'b/Dockerfile'],
      );
    });

    it("lints a file named like a flag after '--'", async () => {
      const named = scratchDir({ '--help': PINNED });
      try {
        const r = await runCli(['lint', '--format', 'json', '--', '--help'], { cwd: named.dir });
        assert.equal(r.code, 1, r.stderr);
        assert.deepEqual(parseJson(r.stdout), engineFindings('--help', PINNED));
      } finally {
        named.dispose();
      }
    });
  });
});
