// Writes examples/data/sine.csv: a deterministic series for the playground's "Your numbers" task
// (two sines and a slow drift, 1000 rows) with a header, a text column and one missing reading.
// Run: node examples/data/make_sine.mjs
import { writeFileSync } from 'node:fs';

const rows = ['t,signal,label'];
for (let t = 0; t < 1000; t++) {
  const x = Math.sin(t / 6) + 0.4 * Math.sin(t / 17) + t / 1200;
  rows.push(`${t},${t === 100 ? 'missing' : x.toFixed(5)},${t % 50 === 0 ? 'mark' : ''}`);
}
writeFileSync(new URL('./sine.csv', import.meta.url), `${rows.join('\n')}\n`);
