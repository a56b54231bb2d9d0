import { readFileSync, writeFileSync } from 'node:fs';
import { lintStrict, summary } from './support/lint';
for (const f of process.argv.slice(2)) {
  const d = lintStrict(readFileSync(f, 'utf8'));
  console.log(f, d.map((x) => `${summary(x)} ${x.data.fixes.filter((z) => !z.title.startsWith('Ignore')).map((z) => z.title)} :: ${x.message}`).join('\n  '));
  if (f.includes('/bad-')) writeFileSync(f.replace(/\.Dockerfile$/, '.expected.json'), JSON.stringify(d.map(summary)) + '\n');
}
