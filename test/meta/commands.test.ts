/**
 * Meta-test: the project installs whatever it runs. On a new Debian 12 machine (the base below:
 * Debian's required packages and Node.js 20 with npm) every external command that a test, a
 * bench, `npm start`, `npm test` or an env script runs must come from a package that
 * scripts/env/docker.sh or scripts/env/vscode.sh installs (their NEEDS tables).
 *
 * The commands are derived from the code — the first argument of each spawn/execFile (and of
 * the files' own wrappers), each `ensureCommand(cmd, package)`, each command of the .sh scripts
 * — never from what this machine happens to have installed: a developer's machine that got a
 * package by hand is exactly what hid the missing apache2-utils (issue 8).
 * The README's list of what the first `npm test` installs is checked against the tables too.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { shellCommands } from './shellCommands';
import { spawnedCommands } from './spawnedCommands';

const root = join(__dirname, '../..');

/**
 * Command (or absolute path) → the Debian 12 package that provides it: what
 * `dpkg -S "$(readlink -f "$(command -v CMD)")"` answers on Debian 12 (usr-merged paths shown
 * as /bin by dpkg). A command missing here fails the test: look its package up and add it.
 */
const DEBIAN_PACKAGE: Record<string, string> = {
  // base machine
  bash: 'bash',
  sh: 'dash',
  cat: 'coreutils',
  cp: 'coreutils',
  dirname: 'coreutils',
  head: 'coreutils',
  id: 'coreutils',
  ln: 'coreutils',
  mkdir: 'coreutils',
  mv: 'coreutils',
  rm: 'coreutils',
  sleep: 'coreutils',
  tail: 'coreutils',
  touch: 'coreutils',
  grep: 'grep',
  sed: 'sed',
  tar: 'tar',
  flock: 'util-linux',
  setsid: 'util-linux',
  mountpoint: 'util-linux',
  mount: 'mount',
  'apt-get': 'apt',
  dpkg: 'dpkg',
  node: 'nodejs',
  npm: 'nodejs',
  // installed by scripts/env/*.sh
  dockerd: 'docker.io',
  '/usr/bin/docker': 'docker.io',
  runc: 'runc',
  '/usr/bin/qemu-arm-static': 'qemu-user-static',
  '/usr/bin/qemu-aarch64-static': 'qemu-user-static',
  'docker-registry': 'docker-registry',
  htpasswd: 'apache2-utils',
  openssl: 'openssl',
  curl: 'curl',
  ip: 'iproute2',
  gcc: 'gcc',
  '/usr/lib/x86_64-linux-gnu/libc.a': 'libc6-dev',
  '/usr/bin/chromium': 'chromium',
  '/usr/include/krb5.h': 'libkrb5-dev',
  'pkg-config': 'pkg-config',
  python3: 'python3',
  make: 'make',
  'g++': 'g++',
};

/**
 * The base machine (README, "What the first npm test installs"): Debian 12's required packages
 * that the project's commands come from, and Node.js 20 with npm (`nodejs`).
 */
const BASE_PACKAGES = ['apt', 'bash', 'coreutils', 'dash', 'dpkg', 'grep', 'mount', 'sed', 'tar', 'util-linux', 'nodejs'];

/**
 * Programs started that are no dependency of the project, each with the reason. Any other
 * program that cannot be resolved from the code fails the test.
 */
const NOT_DEPENDENCIES: Record<string, string> = {
  'scripts/start.mjs code': 'desktop VS Code: `npm start` uses it only when `code` is already on PATH, else code-server',
  'core/src/registry/credentials.ts program':
    "the user's own docker-credential-<name> helper named in config.json (credsStore/credHelpers); tests make theirs in a temp dir",
  'scripts/env/docker.sh $1': 'the case dispatch to the script’s own install/start/stop/status functions',
};

/** Commands found under these variables of the env scripts live in the project's own folders. */
const PROJECT_MADE: Record<string, string> = {
  $CODE_SERVER: 'code-server, installed by scripts/env/vscode.sh from npm into .vscode-test/',
  '$NODE_HOME/bin/node': 'node 24, installed by scripts/env/vscode.sh from npm into .vscode-test/',
  '$CACHE/busybox-amd64/bin/busybox': "Debian's busybox-static, downloaded (not installed) by scripts/env/docker.sh into .test-env/cache/",
};

interface Use {
  readonly command: string;
  readonly where: string;
}

function filesUnder(dir: string, pattern: RegExp): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? ['node_modules', 'fixtures', '.vscode-test', '.test-env'].includes(e.name)
        ? []
        : filesUnder(join(dir, e.name), pattern)
      : pattern.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

/** The NEEDS table (COMMAND=PACKAGE lines) of an env script. */
function needsOf(script: string): Map<string, string> {
  const text = readFileSync(join(root, script), 'utf8');
  const block = /^NEEDS=\(\n([\s\S]*?)^\)/m.exec(text);
  assert.ok(block, `${script} has no NEEDS=( … ) table`);
  const table = new Map<string, string>();
  for (const raw of block[1].split('\n')) {
    const entry = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!entry) continue;
    const m = /^(\S+)=([a-z0-9][a-z0-9.+-]*)$/.exec(entry);
    assert.ok(m, `${script}: NEEDS entry '${entry}' is not COMMAND=PACKAGE`);
    table.set(m[1], m[2]);
  }
  return table;
}

const ENV_SCRIPTS = ['scripts/env/docker.sh', 'scripts/env/vscode.sh'];
const needs = new Map(ENV_SCRIPTS.map((s) => [s, needsOf(s)]));
const installed = new Set([...needs.values()].flatMap((t) => [...t.values()]));

/** Every command the project's code runs, with where. */
function derivedCommands(): { uses: Use[]; problems: string[]; ensured: { command: string; aptPackage: string; where: string }[] } {
  const uses: Use[] = [];
  const problems: string[] = [];
  const ensured: { command: string; aptPackage: string; where: string }[] = [];
  const code = ['scripts', 'test', 'core', 'cli', 'client', 'server'].flatMap((d) => filesUnder(d, /\.(ts|mts|mjs|js)$/));
  for (const file of code) {
    for (const s of spawnedCommands(file, readFileSync(join(root, file), 'utf8'))) {
      const where = `${file}:${s.line}`;
      if (s.kind === 'command') uses.push({ command: s.command, where });
      else if (s.kind === 'ensure') {
        uses.push({ command: s.command, where });
        ensured.push({ command: s.command, aptPackage: s.aptPackage, where });
      } else if (s.kind === 'project') {
        if (!existsSync(join(root, s.path))) problems.push(`${where} runs ${s.path}, which does not exist`);
      } else if (!NOT_DEPENDENCIES[`${file} ${s.expression}`]) {
        problems.push(
          `${where} runs '${s.expression}' (through ${s.via}), which this test cannot resolve: use a literal or a constant, or list it in NOT_DEPENDENCIES with the reason`,
        );
      }
    }
  }
  const scripts = [
    ...filesUnder('scripts', /\.sh$/),
    ...filesUnder('test', /\.sh$/),
    ...(existsSync(join(root, '.ci/run')) ? ['.ci/run'] : []),
  ];
  for (const file of scripts) {
    const text = readFileSync(join(root, file), 'utf8');
    // NAME=/absolute/path assignments resolve `$NAME` (e.g. DOCKER=/usr/bin/docker)
    const paths = new Map([...text.matchAll(/^([A-Z_][A-Z0-9_]*)=(\/[\w./+-]+)$/gm)].map((m) => [m[1], m[2]]));
    for (const c of shellCommands(text)) {
      const where = `${file}:${c.line}`;
      if (!c.word.startsWith('$')) uses.push({ command: c.word, where });
      else if (PROJECT_MADE[c.word] || NOT_DEPENDENCIES[`${file} ${c.word}`]) continue;
      else {
        const variable = /^\$\{?([A-Z_][A-Z0-9_]*)\}?$/.exec(c.word)?.[1];
        const path = variable ? paths.get(variable) : undefined;
        if (path) uses.push({ command: path, where });
        else
          problems.push(
            `${where} runs '${c.word}', which this test cannot resolve: assign it a literal path, or list it in PROJECT_MADE / NOT_DEPENDENCIES with the reason`,
          );
      }
    }
  }
  return { uses, problems, ensured };
}

const derived = derivedCommands();

/** The package of a command: by its exact name or path, else by the base name of a path. */
function packageOf(command: string): string | undefined {
  return DEBIAN_PACKAGE[command] ?? (command.startsWith('/') ? undefined : DEBIAN_PACKAGE[basename(command)]);
}

describe('the project installs whatever it runs', () => {
  it('finds the commands in the code (the scanners see the known ones)', () => {
    const commands = new Set(derived.uses.map((u) => u.command));
    // a few that must be found, one per way of finding them
    for (const c of [
      'htpasswd',
      'docker-registry',
      '/usr/bin/docker',
      'runc',
      'dockerd',
      'gcc',
      'ip',
      'curl',
      'setsid',
      'flock',
      'npm',
      'mount',
    ])
      assert.ok(commands.has(c), `the scan no longer finds ${c}: ${[...commands].sort().join(', ')}`);
  });

  it('resolves every program the code starts', () => {
    assert.deepEqual(derived.problems, []);
  });

  it('knows the Debian package of every command', () => {
    const unknown = derived.uses.filter((u) => !NOT_DEPENDENCIES[`${u.where.replace(/:\d+$/, '')} ${u.command}`] && !packageOf(u.command));
    assert.deepEqual(
      unknown.map((u) => `${u.command} (${u.where})`),
      [],
      'add each to DEBIAN_PACKAGE with its package (dpkg -S "$(readlink -f "$(command -v CMD)")" on Debian 12)',
    );
  });

  it('installs the package of every command that is not part of the base machine', () => {
    const missing = derived.uses
      .filter((u) => !NOT_DEPENDENCIES[`${u.where.replace(/:\d+$/, '')} ${u.command}`])
      .map((u) => ({ ...u, pkg: packageOf(u.command) }))
      .filter((u) => u.pkg !== undefined && !BASE_PACKAGES.includes(u.pkg) && !installed.has(u.pkg));
    assert.deepEqual(
      missing.map((u) => `${u.command} (${u.where}) needs Debian package ${u.pkg}, which no scripts/env/*.sh NEEDS table installs`),
      [],
    );
  });

  it('names the right package in every ensureCommand', () => {
    const wrong = derived.ensured.filter((e) => packageOf(e.command) !== e.aptPackage);
    assert.deepEqual(
      wrong.map(
        (e) =>
          `${e.where}: ensureCommand('${e.command}', '${e.aptPackage}') but ${e.command} comes from ${packageOf(e.command) ?? '(unknown)'}`,
      ),
      [],
    );
  });

  it('lists each command an env script checks with its right package', () => {
    const wrong: string[] = [];
    for (const [script, table] of needs)
      for (const [command, pkg] of table)
        if (packageOf(command) !== pkg)
          wrong.push(`${script}: ${command}=${pkg}, but DEBIAN_PACKAGE says ${packageOf(command) ?? '(unknown)'}`);
    assert.deepEqual(wrong, []);
  });

  it('keeps the README list of what the first npm test installs in step with the scripts', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const paragraph = readme.split(/\n\s*\n/).find((p) => p.startsWith('The first `npm test` installs'));
    assert.ok(paragraph, 'README.md has no paragraph starting "The first `npm test` installs"');
    const [installs, base] = paragraph.split(/The base machine/);
    assert.ok(base !== undefined, 'the paragraph has no sentence "The base machine …" naming the packages a new machine must already have');
    const spans = (text: string) => new Set([...text.matchAll(/`([a-z0-9][a-z0-9.+-]*)`/g)].map((m) => m[1]));
    const listed = [...spans(installs)].filter((p) => p !== 'npm');
    assert.deepEqual(listed.sort(), [...installed].sort(), 'the Debian packages the README says the first npm test installs');
    assert.deepEqual([...spans(base.split(/\.\s/)[0])].sort(), [...BASE_PACKAGES].sort(), 'the base machine the README names');
  });
});

describe('the command scanners', () => {
  it('read commands from bash the way bash runs them', () => {
    const script = [
      'set -euo pipefail',
      'NEEDS=(',
      '  gcc=gcc # a comment (with parentheses)',
      ')',
      'f() { case $1 in /*) [ -e "$1" ] ;; *) command -v "$1" >/dev/null ;; esac; }',
      'X=1 DOCKER_BUILDKIT=1 gcc -o x x.c 2>&1 | tee log >&2',
      'until curl -fsS "http://x/$(basename "$p")" 9>&-; do sleep 0.1; done',
      'if ! kill -0 1; then f a; fi && { ip link; } || setsid "$CODE_SERVER" --x',
      'cat >"$d/Dockerfile" <<\'DF\'',
      'FROM scratch',
      'RUN notacommand',
      'DF',
      'for x in $(busybox --list); do [ "$x" = a ] || ln -sf a "$x"; done',
      'echo "$(( $(wc -l <f) + 1 ))"  # arithmetic',
      'case ${1:-} in',
      '  a | b)',
      '    exec 9>"$(dirname "$W")/lock"',
      '    flock -w 900 9',
      '    ;;',
      '  *) printf "%s" x ;;',
      'esac',
    ].join('\n');
    assert.deepEqual(
      shellCommands(script)
        .map((c) => c.word)
        .sort(),
      ['$CODE_SERVER', 'basename', 'busybox', 'cat', 'curl', 'dirname', 'flock', 'gcc', 'ip', 'ln', 'setsid', 'sleep', 'tee', 'wc'],
    );
  });

  it('read programs from TypeScript, through constants and wrappers', () => {
    const text = [
      "import { execFile, spawn, spawnSync } from 'node:child_process';",
      "const CLI = '/usr/bin/docker';",
      'const run = promisify(execFile);',
      'function sh(command: string, args: string[]) { return spawnSync(command, args); }',
      "spawn('docker-registry', ['serve']);",
      "await run(CLI, ['pull']);",
      "sh('htpasswd', ['-Bbn']);",
      "spawn(process.execPath, ['x.js']);",
      "spawnSync(join(root, 'scripts/env/docker.sh'), ['start']);",
      "ensureCommand('openssl', 'openssl');",
      'spawn(`docker-credential-${name}`, []);',
    ].join('\n');
    assert.deepEqual(
      spawnedCommands('x.ts', text).map((s) =>
        s.kind === 'command' || s.kind === 'ensure' ? s.command : s.kind === 'project' ? s.path : `?${s.expression}`,
      ),
      ['docker-registry', '/usr/bin/docker', 'htpasswd', 'node', 'scripts/env/docker.sh', 'openssl', '?`docker-credential-${name}`'],
    );
  });
});
