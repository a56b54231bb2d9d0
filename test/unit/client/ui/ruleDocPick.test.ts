import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ruleDocItems, ruleTitleOf } from '../../../../client/src/ui/ruleDocPick';

const docs = join(resolve(__dirname, '../../../..'), 'docs', 'rules');

describe('Open Rule Documentation picker items', () => {
  it("shows each shipped page's code with its title, sorted by code", () => {
    const pages = new Map(readdirSync(docs).map((name) => [name, readFileSync(join(docs, name), 'utf8')]));
    const items = ruleDocItems(pages);
    assert.ok(items.length >= 20, `${items.length} rule pages`);
    assert.deepEqual(
      items.map((i) => i.label),
      [...items.map((i) => i.label)].sort(),
    );
    for (const item of items) {
      assert.match(item.label, /^GC\d{3}$/);
      assert.ok(item.description.length > 5, `${item.label} has no title`);
      assert.doesNotMatch(item.description, /`|^GC|^[a-z]/, item.description);
    }
    assert.deepEqual(
      items.find((i) => i.label === 'GC101'),
      { label: 'GC101', description: 'Architecture namespace in the base image' },
    );
    assert.equal(items.find((i) => i.label === 'GC105')?.description, 'Redundant --platform=$TARGETPLATFORM');
  });

  it('reads the first heading only when it names the same code; skips other files', () => {
    assert.equal(ruleTitleOf('# GC202 - markers\n\ntext', 'GC202'), 'Markers');
    assert.equal(ruleTitleOf('# GC202: markers', 'GC202'), 'Markers');
    assert.equal(ruleTitleOf('# GC203 — markers', 'GC202'), undefined);
    assert.equal(ruleTitleOf('no heading at all', 'GC202'), undefined);
    assert.equal(ruleTitleOf(`# GC202 — ${'x'.repeat(500)}`, 'GC202')?.length, 100);
    assert.deepEqual(
      ruleDocItems(
        new Map([
          ['README.md', '# Rules'],
          ['GC102.md', '# GC102 — b'],
          ['GC101.md', 'no heading'],
        ]),
      ),
      [
        { label: 'GC101', description: '' },
        { label: 'GC102', description: 'B' },
      ],
    );
  });
});
