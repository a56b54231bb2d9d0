/**
 * Meta-test: the project's parts stay in step.
 * - Every rule in RULES and YAML_RULES has its source file, a doc page `docs/rules/<CODE>.md` (what, why, bad,
 *   good, fix, suppress), a test file and a fixture folder with bad and good fixtures; no doc
 *   page or fixture folder without a rule; codes unique and in order.
 * - package.json: every `greenCloud.*` setting has a markdownDescription; every contributed
 *   command is in the Green Cloud category and registered in client/src/commands/index.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES, RULES, YAML_RULES } from '../../server/src/rules';

const root = join(__dirname, '../..');
const docsDir = join(root, 'docs/rules');
const fixturesDir = join(root, 'test/fixtures/rules');
const ruleTestsDir = join(root, 'test/unit/server/rules');
const codes = ALL_RULES.map((r) => r.code);
const YAML_CODES = new Set<string>(YAML_RULES.map((r) => r.code));

/** The headings of a Markdown file outside fenced code blocks (`# platforms=` in a block is no heading). */
function headings(markdown: string): { level: number; text: string }[] {
  const out: { level: number; text: string }[] = [];
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === undefined) fence = f[1][0];
      else if (f[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) out.push({ level: h[1].length, text: h[2] });
  }
  return out;
}

/** Doc sections required on every rule page, each matched loosely against the headings. */
const SECTIONS: [string, RegExp][] = [
  ['what (what it reports)', /\bwhat\b|\breports?\b|\bdetects?\b|\bfires\b/i],
  ['why (why it matters)', /\bwhy\b|\bmatters?\b|\brationale\b/i],
  ['bad example', /\bbad\b|\bincorrect\b|\bnon-?compliant\b/i],
  ['good example', /\bgood\b|\bcorrect\b|\bcompliant\b/i],
  ['fix (quick fix)', /\bfix(es)?\b|\bhow to fix\b/i],
  ['suppress', /\bsuppress(ion|ing)?\b|\bignor(e|ing)\b|\bdisabl(e|ing)\b/i],
];

describe('rule catalogue', () => {
  it('has rules', () => assert.ok(RULES.length > 0 && YAML_RULES.length > 0));

  it('codes are GCnnn, unique and in ascending order', () => {
    for (const code of codes) assert.match(code, /^GC\d{3}$/);
    const duplicates = codes.filter((c, i) => codes.indexOf(c) !== i);
    assert.deepEqual(duplicates, [], 'duplicate codes in RULES');
    assert.deepEqual(codes, [...codes].sort(), 'RULES and YAML_RULES are not in code order');
  });

  it('every docs/rules/*.md belongs to a rule', () => {
    const pages = existsSync(docsDir) ? readdirSync(docsDir).filter((f) => f.endsWith('.md')) : [];
    const orphans = pages.filter((f) => !codes.includes(f.replace(/\.md$/, '') as (typeof codes)[number]));
    assert.deepEqual(orphans, [], `doc pages without a rule in server/src/rules/index.ts`);
  });

  it('every fixture folder under test/fixtures/rules belongs to a rule', () => {
    const folders = existsSync(fixturesDir) ? readdirSync(fixturesDir).filter((f) => statSync(join(fixturesDir, f)).isDirectory()) : [];
    const orphans = folders.filter((f) => !codes.includes(f as (typeof codes)[number]));
    assert.deepEqual(orphans, [], 'fixture folders without a rule');
  });

  it('every rule test file belongs to a rule', () => {
    const files = existsSync(ruleTestsDir) ? readdirSync(ruleTestsDir).filter((f) => /^GC\d{3}\.test\.ts$/.test(f)) : [];
    const orphans = files.filter((f) => !codes.includes(f.replace(/\.test\.ts$/, '') as (typeof codes)[number]));
    assert.deepEqual(orphans, [], 'rule test files without a rule');
  });

  for (const rule of ALL_RULES) {
    describe(rule.code, () => {
      it('has its source file server/src/rules/<CODE>.ts and complete metadata', () => {
        assert.ok(existsSync(join(root, 'server/src/rules', `${rule.code}.ts`)), `missing server/src/rules/${rule.code}.ts`);
        assert.ok(rule.title.trim().length > 0, 'empty title');
        assert.ok(rule.description.trim().length > 0, 'empty description');
        assert.ok(['error', 'warning', 'info', 'hint'].includes(rule.defaultSeverity), `defaultSeverity ${rule.defaultSeverity}`);
        for (const peer of ('peerCodes' in rule ? (rule.peerCodes as string[] | undefined) : undefined) ?? [])
          assert.match(peer, /^(hadolint|buildkit):[A-Za-z0-9]+$/, `peer code ${peer}`);
      });

      it(`has docs/rules/${rule.code}.md with what, why, bad, good, fix and suppress sections`, () => {
        const file = join(docsDir, `${rule.code}.md`);
        assert.ok(existsSync(file), `missing docs/rules/${rule.code}.md`);
        const markdown = readFileSync(file, 'utf8');
        const hs = headings(markdown);
        assert.ok(
          hs.length > 0 && hs[0].level === 1 && hs[0].text.startsWith(rule.code),
          `docs/rules/${rule.code}.md must start with a '# ${rule.code} …' title (found '${hs[0]?.text ?? ''}')`,
        );
        const sectionTitles = hs.slice(1).map((h) => h.text);
        const missing = SECTIONS.filter(([, re]) => !sectionTitles.some((t) => re.test(t))).map(([name]) => name);
        assert.deepEqual(missing, [], `docs/rules/${rule.code}.md lacks sections (headings found: ${sectionTitles.join(' | ')})`);
        assert.ok(/```/.test(markdown), `docs/rules/${rule.code}.md has no code example`);
        // A table header of empty cells renders as a blank ruled row: the facts table is headed by its first fact.
        assert.doesNotMatch(markdown, /^\|(?:\s*\|)+\s*$/m, `docs/rules/${rule.code}.md has a table row of empty cells`);
        assert.match(
          markdown,
          /^\| Default severity +\| .+\|\n\| -+ \| -+ \|$/m,
          `docs/rules/${rule.code}.md: the facts table starts with its Default severity`,
        );
      });

      it(`has the test file test/unit/server/rules/${rule.code}.test.ts`, () => {
        const file = join(ruleTestsDir, `${rule.code}.test.ts`);
        assert.ok(existsSync(file), `missing test/unit/server/rules/${rule.code}.test.ts`);
        const text = readFileSync(file, 'utf8');
        assert.ok(text.includes(rule.code), `${rule.code}.test.ts never mentions ${rule.code}`);
        assert.match(text, /\bit\(/, `${rule.code}.test.ts has no test`);
      });

      // Dockerfile rules have `*.Dockerfile` fixtures; the Kubernetes/Compose rules `*.yaml`
      // (`*.compose.yaml` for Compose); either may have a `*.registry.json` of registry answers.
      const yaml = YAML_CODES.has(rule.code);
      const ext = yaml ? '.yaml' : '.Dockerfile';
      it(`has fixtures test/fixtures/rules/${rule.code}/ with a bad- and a good- ${yaml ? 'YAML file' : 'Dockerfile'}`, () => {
        const dir = join(fixturesDir, rule.code);
        assert.ok(existsSync(dir), `missing folder test/fixtures/rules/${rule.code}/`);
        const files = readdirSync(dir);
        const bad = files.filter((f) => f.startsWith('bad-') && f.endsWith(ext));
        const good = files.filter((f) => f.startsWith('good-') && f.endsWith(ext));
        assert.ok(bad.length > 0, `no bad-*${ext} in test/fixtures/rules/${rule.code}/`);
        assert.ok(good.length > 0, `no good-*${ext} in test/fixtures/rules/${rule.code}/`);
        const withoutExpected = bad.filter((f) => !files.includes(f.slice(0, -ext.length) + '.expected.json'));
        assert.deepEqual(withoutExpected, [], 'bad fixtures without their .expected.json');
        const strays = files.filter(
          (f) => !(/^(bad|good)-.*\.(expected|registry)\.json$/.test(f) || (/^(bad|good)-/.test(f) && f.endsWith(ext))),
        );
        assert.deepEqual(strays, [], `files in test/fixtures/rules/${rule.code}/ that the fixture runner ignores`);
      });
    });
  }
});

interface Manifest {
  contributes?: {
    configuration?:
      | { properties?: Record<string, { markdownDescription?: unknown; description?: unknown }> }
      | { properties?: Record<string, { markdownDescription?: unknown }> }[];
    commands?: { command?: unknown; title?: unknown; category?: unknown }[];
    grammars?: { scopeName?: unknown; path?: unknown; injectTo?: unknown }[];
  };
}

describe('package.json contributions', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
  const configuration = manifest.contributes?.configuration;
  const sections = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
  const properties = Object.assign({}, ...sections.map((s) => s.properties ?? {})) as Record<string, { markdownDescription?: unknown }>;

  it('every setting is under greenCloud.', () => {
    const outside = Object.keys(properties).filter((k) => !k.startsWith('greenCloud.'));
    assert.deepEqual(outside, [], 'settings outside the greenCloud. namespace');
  });

  it('every greenCloud.* setting has a markdownDescription', () => {
    const missing = Object.entries(properties)
      .filter(
        ([k, v]) => k.startsWith('greenCloud.') && !(typeof v.markdownDescription === 'string' && v.markdownDescription.trim().length > 0),
      )
      .map(([k]) => k);
    assert.deepEqual(missing, [], 'settings without markdownDescription');
  });

  const commands = manifest.contributes?.commands ?? [];
  const table = readFileSync(join(root, 'client/src/commands/index.ts'), 'utf8');

  it('every contributed command has an id greenCloud.*, a title and category "Green Cloud"', () => {
    const bad = commands.filter(
      (c) =>
        !(
          typeof c.command === 'string' &&
          c.command.startsWith('greenCloud.') &&
          typeof c.title === 'string' &&
          c.title.trim() !== '' &&
          c.category === 'Green Cloud'
        ),
    );
    assert.deepEqual(bad, [], 'commands with a bad id, no title or another category');
  });

  it('every contributed command is registered in client/src/commands/index.ts COMMANDS', () => {
    const start = table.indexOf('COMMANDS');
    assert.ok(start >= 0, 'client/src/commands/index.ts has no COMMANDS table');
    const body = table.slice(start);
    const unregistered = commands.map((c) => String(c.command)).filter((id) => !body.includes(`'${id}'`) && !body.includes(`"${id}"`));
    assert.deepEqual(unregistered, [], 'contributed commands missing from COMMANDS');
  });

  it('every contributed grammar exists and declares the contributed scopeName', () => {
    const grammars = manifest.contributes?.grammars ?? [];
    for (const g of grammars) {
      const file = join(root, String(g.path));
      assert.ok(existsSync(file), `missing grammar ${String(g.path)}`);
      const grammar = JSON.parse(readFileSync(file, 'utf8')) as { scopeName?: string; injectionSelector?: string };
      assert.equal(grammar.scopeName, g.scopeName, `${String(g.path)}: scopeName`);
      if (g.injectTo) assert.ok(grammar.injectionSelector, `${String(g.path)} is injected but has no injectionSelector`);
    }
  });

  it('contributed command ids are unique', () => {
    const ids = commands.map((c) => String(c.command));
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
  });
});
