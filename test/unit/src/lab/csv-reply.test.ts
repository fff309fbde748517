// The host's answer to the playground's "Choose a CSV file…" for a file's bytes (what the view is sent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvReply } from '../../../../src/lab/csvReply';
import { CSV_LIMITS, seriesCsvSchema, parseMessage } from '../../../../protocol';

const enc = (s: string) => new TextEncoder().encode(s);

test('a CSV file becomes its numeric columns, which the view\'s schema accepts', () => {
  const r = csvReply('data.csv', enc('t;temp;note\n1;20,5;ok\n2;21;\n3;x;late\n'));
  assert.equal(r.type, 'csv');
  if (r.type !== 'csv') return;
  assert.deepEqual(r.csv.columns.map((c) => [c.name, c.values, c.ignored]), [['t', [1, 2, 3], 0], ['temp', [20.5, 21], 1]]);
  assert.equal(r.csv.textColumns, 1);
  assert.ok(parseMessage(seriesCsvSchema, r.csv).ok);
});

test('a file without numbers, or over the size cap, is refused in one line', () => {
  const none = csvReply('words.csv', enc('a,b\nc,d\n'));
  assert.deepEqual(none, { type: 'csvError', text: 'words.csv has no column of numbers (2 rows read, comma, semicolon or tab separated)' });
  const big = csvReply('big.csv', new Uint8Array(CSV_LIMITS.bytes + 1));
  assert.equal(big.type, 'csvError');
  assert.match(big.type === 'csvError' ? big.text : '', /^big.csv is larger than 10.0 MiB$/);
});
