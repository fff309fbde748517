// Our CSV reader and the pasted-numbers reader of the playground's series task: quotes, header
// detection, the three delimiters, decimal commas, non-numeric cells counted, hostile input bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CSV_LIMITS, cellNumber, csvRows, detectDelimiter, parseCsv, parseNumberList } from '../../../protocol/csv';

test('cells are numbers only in decimal syntax', () => {
  assert.equal(cellNumber(' 1.5 '), 1.5);
  assert.equal(cellNumber('-2e-3'), -0.002);
  assert.equal(cellNumber('.5'), 0.5);
  for (const s of ['', 'abc', '0x10', 'Infinity', 'NaN', '1,5', '1e999', '--1']) assert.equal(cellNumber(s), undefined, s);
  assert.equal(cellNumber('1,5', true), 1.5);
});

test('quoted fields keep delimiters, quotes and newlines', () => {
  const { rows } = csvRows('a,"b,c","say ""hi""",\n"two\nlines",2\r\n\n3,4', ',');
  assert.deepEqual(rows, [['a', 'b,c', 'say "hi"', ''], ['two\nlines', '2'], ['3', '4']]);
});

test('the delimiter is found among comma, semicolon and tab', () => {
  assert.equal(detectDelimiter('a,b,c\n1,2,3\n4,5,6'), ',');
  assert.equal(detectDelimiter('a;b\n1,5;2,5\n3;4'), ';');
  assert.equal(detectDelimiter('a\tb\n1\t2'), '\t');
  assert.equal(detectDelimiter('1\n2\n3'), ',');
});

test('a header row names the numeric columns; text cells are counted, not read', () => {
  const t = parseCsv('\ufeffdate,temp,note\n2024-01-01,1.5,ok\n2024-01-02,n/a,\n2024-01-03,-2,late\n');
  assert.equal(t.header, true);
  assert.equal(t.rows, 3);
  assert.deepEqual(t.columns.map((c) => c.name), ['temp']);
  assert.deepEqual(t.columns[0].values, [1.5, -2]);
  assert.equal(t.columns[0].ignored, 1);
  assert.equal(t.textColumns, 2);
  assert.deepEqual(t.capped, []);
});

test('without a header the columns are numbered; semicolons take decimal commas', () => {
  const t = parseCsv('1,5;10\n2,5;20\n3;30');
  assert.equal(t.header, false);
  assert.deepEqual(t.columns.map((c) => [c.name, c.values]), [['column 1', [1.5, 2.5, 3]], ['column 2', [10, 20, 30]]]);
});

test('hostile input stays bounded: long cells, wide rows, many rows, an open quote', () => {
  const long = parseCsv(`x\n${'9'.repeat(CSV_LIMITS.cell * 10)}\n1`);
  assert.equal(long.columns[0].values.length, 2);
  const wide = parseCsv(`${Array.from({ length: 200 }, (_, i) => i).join(',')}\n`);
  assert.equal(wide.columns.length, CSV_LIMITS.numericColumns);
  assert.ok(wide.capped.some((c) => /columns after 64/.test(c)), wide.capped.join());
  const tall = parseCsv('1\n'.repeat(CSV_LIMITS.rows + 5));
  assert.equal(tall.rows, CSV_LIMITS.rows);
  assert.ok(tall.capped.some((c) => /rows after 200,000/.test(c)), tall.capped.join());
  assert.equal(tall.columns[0].values.length, CSV_LIMITS.values);
  const open = parseCsv('a,b\n1,"2\n3,4');
  assert.equal(open.rows, 1);
});

test('pasted numbers split at commas, whitespace and newlines; the rest is counted', () => {
  assert.deepEqual(parseNumberList('1, 2,3\n4\t5 x 6;7'), { values: [1, 2, 3, 4, 5, 6, 7], ignored: 1, cut: false });
  assert.deepEqual(parseNumberList('1 2 3 4', 2), { values: [1, 2], ignored: 0, cut: true });
  assert.equal(parseNumberList('1 '.repeat(CSV_LIMITS.pasted)).cut, true);
});
