/**
 * `green-cloud lint --format sarif`: validated against the SARIF 2.1.0 JSON schema (the
 * 2.1.0-rtm.5 schema that @microsoft/jest-sarif ships; draft-04, so Ajv's draft-04 class with
 * formats), and checked for what GitHub code scanning reads: rule metadata with helpUri,
 * ruleId/ruleIndex, level, message.text, 1-based regions in UTF-16 columns, %SRCROOT%-relative URIs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log, Result } from 'sarif';
import { DEFAULT_DOCS_BASE, docsHref, lint } from '../../server/src/linter';
import { ALL_RULES as RULES } from '../../server/src/rules';
import { BAD_DIRECTIVE, CLEAN, PINNED, requireBuiltCli, ROOT, runCli } from './cliProcess';
import { scratchDir, type Scratch } from '../support/scratch';

const SCHEMA_PATH = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const packageJson = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };

function sarifValidator() {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { title: string };
  assert.match(schema.title, /SARIF\) Version 2\.1\.0/);
  // strict: false — the official schema has constructs Ajv's strict mode dislikes (a `required`
  // naming a property defined elsewhere); unicodeRegExp: false — its `language` pattern has a
  // stray `]` that only non-unicode regular expressions accept.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

async function sarifOf(args: string[], cwd: string, stdin?: string): Promise<{ code: number | null; log: Log }> {
  const r = await runCli(['lint', '--format', 'sarif', ...args], { cwd, stdin });
  assert.equal(r.stderr, '');
  return { code: r.code, log: JSON.parse(r.stdout) as Log };
}

describe('green-cloud lint --format sarif', () => {
  const validate = sarifValidator();
  let ws: Scratch;
  let outside: Scratch;
  before(() => {
    requireBuiltCli();
    ws = scratchDir({ 'docker/app/Dockerfile': PINNED, 'clean/Dockerfile': CLEAN, 'we ird/Dockerfile': BAD_DIRECTIVE });
    outside = scratchDir({ Dockerfile: PINNED });
  });
  after(() => {
    ws.dispose();
    outside.dispose();
  });

  function assertValid(log: Log): void {
    const ok = validate(log);
    assert.ok(ok, `SARIF does not validate:\n${JSON.stringify(validate.errors, null, 2)}`);
  }

  it('the validator rejects an invalid log (so passing means something)', () => {
    assert.equal(
      validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }),
      false,
    );
    assert.equal(validate({ version: '2.1.0' }), false);
  });

  it('validates and carries rule metadata for every rule', async () => {
    const { code, log } = await sarifOf(['docker/app/Dockerfile'], ws.dir);
    assert.equal(code, 1);
    assertValid(log);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const { driver } = log.runs[0].tool;
    assert.equal(driver.name, 'green-cloud');
    assert.equal(driver.version, packageJson.version);
    assert.equal(driver.informationUri, 'https://github.com/green-cloud/green-cloud');
    assert.deepEqual(
      driver.rules?.map((r) => r.id),
      RULES.map((r) => r.code),
    );
    for (const [i, descriptor] of (driver.rules ?? []).entries()) {
      const rule = RULES[i];
      assert.equal(descriptor.helpUri, docsHref(rule.code, DEFAULT_DOCS_BASE));
      assert.equal(descriptor.shortDescription?.text, rule.title);
      assert.equal(descriptor.fullDescription?.text, rule.description);
      assert.match(descriptor.name ?? '', /^[A-Z][A-Za-z0-9]+$/);
      assert.equal(
        descriptor.defaultConfiguration?.level,
        { error: 'error', warning: 'warning', info: 'note', hint: 'note' }[rule.defaultSeverity],
      );
      assert.ok(Array.isArray(descriptor.properties?.tags) && descriptor.properties.tags.includes('multi-arch'));
    }
  });

  it('reports a result with ruleId, ruleIndex, level, message and a 1-based region relative to %SRCROOT%', async () => {
    const { log } = await sarifOf(['docker/app/Dockerfile'], ws.dir);
    const run = log.runs[0];
    const [expected] = lint(PINNED);
    assert.deepEqual(run.results, [
      {
        ruleId: 'GC101',
        ruleIndex: RULES.findIndex((r) => r.code === 'GC101'),
        level: 'warning',
        message: { text: expected.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'docker/app/Dockerfile', uriBaseId: '%SRCROOT%' },
              region: { startLine: 1, startColumn: 6, endLine: 1, endColumn: 20 },
            },
          },
        ],
      } satisfies Result,
    ]);
    assert.equal(run.originalUriBaseIds?.['%SRCROOT%']?.uri, `${pathToFileURL(ws.dir).href}/`);
    assert.equal(run.columnKind, 'utf16CodeUnits');
  });

  it('counts columns in UTF-16 code units and maps error to level error', async () => {
    const { log } = await sarifOf(['we ird/Dockerfile'], ws.dir);
    assertValid(log);
    const [result] = log.runs[0].results ?? [];
    assert.equal(result.ruleId, 'GC001');
    assert.equal(result.level, 'error');
    const location = result.locations?.[0].physicalLocation;
    assert.equal(location?.artifactLocation?.uri, 'we%20ird/Dockerfile');
    const line = BAD_DIRECTIVE.split('\n')[0]; // ends with a character outside the BMP (2 UTF-16 units); GC001 points at that entry
    assert.notEqual(line.length, [...line].length);
    assert.deepEqual(location?.region, { startLine: 1, startColumn: line.indexOf('🐳') + 1, endLine: 1, endColumn: line.length + 1 });
  });

  it('validates with no results, several files, stdin and a file outside the working directory', async () => {
    const clean = await sarifOf(['clean/Dockerfile'], ws.dir);
    assert.equal(clean.code, 0);
    assertValid(clean.log);
    assert.deepEqual(clean.log.runs[0].results, []);

    const many = await sarifOf(
      ['docker/app/Dockerfile', 'clean/Dockerfile', 'we ird/Dockerfile', `${outside.dir}/Dockerfile`, '-'],
      ws.dir,
      PINNED,
    );
    assertValid(many.log);
    const uris = (many.log.runs[0].results ?? []).map((r) => r.locations?.[0].physicalLocation?.artifactLocation);
    assert.deepEqual(uris, [
      { uri: 'docker/app/Dockerfile', uriBaseId: '%SRCROOT%' },
      { uri: 'we%20ird/Dockerfile', uriBaseId: '%SRCROOT%' },
      { uri: pathToFileURL(`${outside.dir}/Dockerfile`).href },
      { uri: 'stdin' },
    ]);

    const named = await sarifOf(['--stdin-filename', 'docker/app/Dockerfile', '-'], ws.dir, PINNED);
    assertValid(named.log);
    assert.deepEqual(named.log.runs[0].results?.[0].locations?.[0].physicalLocation?.artifactLocation, {
      uri: 'docker/app/Dockerfile',
      uriBaseId: '%SRCROOT%',
    });
  });

  it('reflects --rule overrides in the result level', async () => {
    const { code, log } = await sarifOf(['--rule', 'GC101=info', 'docker/app/Dockerfile'], ws.dir);
    assert.equal(code, 0);
    assertValid(log);
    assert.equal(log.runs[0].results?.[0].level, 'note');
  });
});
