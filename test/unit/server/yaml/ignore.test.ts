/**
 * "Ignore GCnnn for this line / file" on Kubernetes and Compose diagnostics: the pragma lands on
 * its own line above the diagnostic's line at that line's indentation (or extends one already
 * there), or at the top of the file; the YAML stays valid with the same data, and the re-lint
 * no longer reports the code.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { GreenCloudDiagnostic } from '../../../../server/src/linter';
import { applyEdits } from '../../../support/lint';
import { imageTable, lintYamlStrict, yamlErrors, yamlValues } from '../../../support/yamlLint';

const images = imageTable({ 'acme/tool:1': { platforms: ['linux/amd64'], multiPlatform: false } });

function ignoreFix(d: GreenCloudDiagnostic, scope: 'line' | 'file') {
  const fix = d.data.fixes.find((f) => f.title === `Ignore ${d.code} for this ${scope}`);
  assert.ok(fix, `no 'Ignore ${d.code} for this ${scope}' among ${JSON.stringify(d.data.fixes.map((f) => f.title))}`);
  return fix;
}

/** Applies the fix, checks the YAML and its data, and returns the fixed text. */
function apply(text: string, d: GreenCloudDiagnostic, scope: 'line' | 'file'): string {
  const fixed = applyEdits(text, ignoreFix(d, scope).edits);
  assert.deepEqual(yamlErrors(fixed), [], fixed);
  assert.deepEqual(yamlValues(fixed), yamlValues(text), `the data changed:\n${fixed}`);
  return fixed;
}

const pod = (containers: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${containers}`;

describe('Ignore fixes on Kubernetes and Compose diagnostics', () => {
  it('puts the line pragma above the image at its indentation, in a sequence item and on a "- image:" line', () => {
    const text = pod('    - name: a\n      image: arm64v8/postgres:16\n    - image: arm32v7/nginx\n      args: [x]\n');
    const [first, second] = lintYamlStrict(text);
    assert.equal(first.code, 'GC302');
    const a = apply(text, first, 'line');
    assert.equal(
      a,
      pod(
        '    - name: a\n      # green-cloud ignore=GC302\n      image: arm64v8/postgres:16\n    - image: arm32v7/nginx\n      args: [x]\n',
      ),
    );
    assert.deepEqual(
      lintYamlStrict(a).map((d) => d.range.start.line),
      [9],
      'only the other image is still reported',
    );
    const b = apply(text, second, 'line');
    assert.equal(
      b,
      pod('    - name: a\n      image: arm64v8/postgres:16\n    # green-cloud ignore=GC302\n    - image: arm32v7/nginx\n      args: [x]\n'),
    );
    assert.deepEqual(
      lintYamlStrict(b).map((d) => d.range.start.line),
      [7],
    );
  });

  it('adds the code to a pragma already on the line above', () => {
    const text = pod('    - name: a\n      # green-cloud ignore=GC301  \n      image: arm64v8/postgres:16\n');
    const [d] = lintYamlStrict(text);
    const fixed = apply(text, d, 'line');
    assert.ok(fixed.includes('      # green-cloud ignore=GC301,GC302  \n      image: arm64v8/postgres:16\n'), fixed);
    assert.deepEqual(lintYamlStrict(fixed), []);
  });

  it('keeps CRLF, flow style and comments; a value on the line after its key gets the pragma between them', () => {
    const flow = pod('    - {name: a, image: arm64v8/postgres:16}  # pinned\n').replace(/\n/g, '\r\n');
    const [d] = lintYamlStrict(flow);
    const fixed = apply(flow, d, 'line');
    assert.ok(fixed.includes('\r\n    # green-cloud ignore=GC302\r\n    - {name: a, image: arm64v8/postgres:16}  # pinned\r\n'), fixed);
    assert.ok(!/[^\r]\n/.test(fixed), 'a bare LF in a CRLF file');
    assert.deepEqual(lintYamlStrict(fixed), []);
    const nextLine = pod('    - name: a\n      image:\n        arm64v8/postgres:16\n');
    const [e] = lintYamlStrict(nextLine);
    const fixedNext = apply(nextLine, e, 'line');
    assert.ok(fixedNext.includes('      image:\n        # green-cloud ignore=GC302\n        arm64v8/postgres:16\n'), fixedNext);
    assert.deepEqual(lintYamlStrict(fixedNext), []);
  });

  it('offers no line pragma where the line starts inside a multi-line scalar (it would become part of the value)', () => {
    const text = pod('    - {name: "a\n        b", image: arm64v8/postgres:16}\n');
    const [d] = lintYamlStrict(text);
    assert.equal(d.range.start.line, 7);
    assert.deepEqual(
      d.data.fixes.map((f) => f.title),
      ["Use the multi-arch image 'postgres:16'", 'Ignore GC302 for this file'],
    );
    assert.deepEqual(lintYamlStrict(apply(text, d, 'file')), []);
  });

  it('puts the file pragma at the top (a # platforms= line below still counts), or extends the global pragma there', () => {
    const text = `# platforms=linux/amd64,linux/arm64\n---\n${pod('    - name: a\n      image: acme/tool:1\n    - name: b\n      image: arm32v7/nginx\n')}`;
    const ds = lintYamlStrict(text, { images });
    assert.deepEqual(
      ds.map((d) => d.code),
      ['GC301', 'GC302'],
    );
    const fixed = apply(text, ds[0], 'file');
    assert.ok(fixed.startsWith('# green-cloud global ignore=GC301\n# platforms=linux/amd64,linux/arm64\n---\n'), fixed);
    const after = lintYamlStrict(fixed, { images });
    assert.deepEqual(
      after.map((d) => d.code),
      ['GC302'],
    );
    assert.match(after[0].message, /can land on linux\/amd64/, 'the # platforms= directive still applies');
    const both = apply(fixed, after[0], 'file');
    assert.ok(both.startsWith('# green-cloud global ignore=GC301,GC302\n'), both);
    assert.deepEqual(lintYamlStrict(both, { images }), []);
  });

  it('works on Compose diagnostics (GC304 on a platform: value)', () => {
    const compose = 'services:\n  web:\n    image: acme/all:3\n    platform: linux/amd64 # forced\n';
    const all = imageTable({ 'acme/all:3': { platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'], multiPlatform: true } });
    const [d] = lintYamlStrict(compose, { fileName: 'compose.yaml', images: all });
    assert.equal(d.code, 'GC304');
    const fixed = apply(compose, d, 'line');
    assert.equal(fixed, 'services:\n  web:\n    image: acme/all:3\n    # green-cloud ignore=GC304\n    platform: linux/amd64 # forced\n');
    assert.deepEqual(lintYamlStrict(fixed, { fileName: 'compose.yaml', images: all }), []);
  });
  it('reads a pragma only from a comment line of its own, and only its codes', () => {
    // A comment after a value is not a pragma: it does not silence the next line.
    const trailing = pod('    - name: a\n      args: [x] # green-cloud ignore=GC302\n      image: arm64v8/postgres:16\n');
    assert.deepEqual(
      lintYamlStrict(trailing).map((d) => d.code),
      ['GC302'],
    );
    // Words after the codes are not codes; the codes before them still count.
    const reasoned = pod(
      '    - name: a\n      # green-cloud ignore=GC302 until the arm64 nodes arrive\n      image: arm64v8/postgres:16\n',
    );
    assert.deepEqual(lintYamlStrict(reasoned), []);
    const fixed = apply(
      reasoned.replace('GC302 until', 'GC301 until'),
      lintYamlStrict(reasoned.replace('GC302 until', 'GC301 until'))[0],
      'line',
    );
    assert.ok(fixed.includes('      # green-cloud ignore=GC301,GC302 until the arm64 nodes arrive\n'), fixed);
  });
});
