// Numbers for the playground's series task, from a CSV/TSV file or from pasted text. Our own small
// reader: quoted fields ("" inside quotes is one quote, a quoted field may hold the delimiter or a
// newline), the delimiter chosen among comma, semicolon and tab, a header row recognised when its
// cells are not numbers where the next row's are. Pure (no editor, no DOM) and bounded: at most
// CSV_LIMITS.rows rows, CSV_LIMITS.columns columns and CSV_LIMITS.cell characters a cell are read.
export const CSV_LIMITS = {
  /** Bytes the host reads of a file at most (10 MiB). */
  bytes: 10 * 1024 * 1024,
  rows: 200_000,
  columns: 64,
  /** Characters kept of one cell (the rest of a longer cell is skipped). */
  cell: 200,
  /** Numeric columns sent to the view, and the values of all of them together. */
  numericColumns: 16,
  values: 100_000,
  /** Characters of pasted text read at most. */
  pasted: 2_000_000,
} as const;

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvColumn {
  /** The header cell, or "column N" (1-based) without a header. */
  name: string;
  /** The column's numeric cells, top to bottom (capped, see CsvTable.capped). */
  values: number[];
  /** Non-empty cells that are not numbers (skipped). */
  ignored: number;
  /** Empty cells (skipped). */
  empty: number;
}

export interface CsvTable {
  delimiter: CsvDelimiter;
  header: boolean;
  /** Data rows read (without the header). */
  rows: number;
  /** Columns with at least one number, at most CSV_LIMITS.numericColumns. */
  columns: CsvColumn[];
  /** Columns with no number at all. */
  textColumns: number;
  /** What was cut to stay within the bounds, as short clauses ("rows after 200,000"); empty when nothing. */
  capped: string[];
}

/**
 * A cell as a number: JavaScript's decimal syntax (1, -2.5, 1e-3, .5), optional surrounding
 * spaces; with a semicolon or tab delimiter, a decimal comma too (1,5). Anything else (text,
 * hex, Infinity, NaN, an empty cell) is not a number.
 */
export function cellNumber(cell: string, decimalComma = false): number | undefined {
  let s = cell.trim();
  if (decimalComma && /^[+-]?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Splits text into rows of cells (bounded as CSV_LIMITS says); `rowsCut` when rows were left unread. */
export function csvRows(text: string, delimiter: CsvDelimiter, maxRows: number = CSV_LIMITS.rows): { rows: string[][]; rowsCut: boolean; wide: boolean } {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let wide = false;
  const push = (c: string): void => {
    if (cell.length < CSV_LIMITS.cell) cell += c;
  };
  const endCell = (): void => {
    if (row.length < CSV_LIMITS.columns) row.push(cell);
    else wide = true;
    cell = '';
  };
  const endRow = (): boolean => {
    endCell();
    // A blank line is no row.
    if (!(row.length === 1 && row[0].trim() === '')) rows.push(row);
    row = [];
    return rows.length < maxRows;
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          push('"');
          i += 2;
          continue;
        }
        quoted = false;
      } else push(ch);
      i++;
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (ch === delimiter) endCell();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (!endRow()) return { rows, rowsCut: i + 1 < n && text.slice(i + 1).trim() !== '', wide };
    } else push(ch);
    i++;
  }
  if (cell !== '' || row.length > 0) endRow();
  return { rows, rowsCut: false, wide };
}

/**
 * The delimiter of the first lines: among comma, semicolon and tab, the one that splits them into
 * the most columns equally often (a tie goes to tab, then semicolon: a comma may be a decimal one);
 * comma where none splits a line.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const sample = text.slice(0, 64 * 1024);
  let best: CsvDelimiter = ',';
  let bestScore = 0;
  for (const d of ['\t', ';', ','] as const) {
    const rows = csvRows(sample, d, 20).rows.slice(0, 20);
    if (rows.length === 0) continue;
    const widths = rows.map((r) => r.length);
    const common = widths.filter((w) => w === widths[widths.length > 1 ? 1 : 0]).length;
    const width = widths[widths.length > 1 ? 1 : 0];
    const score = width > 1 ? common * 1000 + width : 0;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/** Reads a CSV/TSV text into its numeric columns. */
export function parseCsv(text: string): CsvTable {
  const delimiter = detectDelimiter(text);
  const decimalComma = delimiter !== ',';
  const { rows, rowsCut, wide } = csvRows(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, delimiter);
  const num = (c: string | undefined) => (c === undefined ? undefined : cellNumber(c, decimalComma));
  // A header: the first row has a non-number where the second row has a number.
  const header = rows.length > 1 && rows[0].some((c, j) => num(c) === undefined && num(rows[1][j]) !== undefined);
  const data = header ? rows.slice(1) : rows;
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  const all: CsvColumn[] = [];
  for (let j = 0; j < width; j++) {
    const name = (header ? rows[0][j]?.trim() : '') || `column ${j + 1}`;
    const col: CsvColumn = { name: name.replace(/\s+/g, ' '), values: [], ignored: 0, empty: 0 };
    for (const r of data) {
      const c = r[j];
      if (c === undefined || c.trim() === '') col.empty++;
      else {
        const x = num(c);
        if (x === undefined) col.ignored++;
        else col.values.push(x);
      }
    }
    all.push(col);
  }
  const numeric = all.filter((c) => c.values.length > 0);
  const capped: string[] = [];
  if (rowsCut) capped.push(`rows after ${CSV_LIMITS.rows.toLocaleString('en-US')}`);
  if (wide) capped.push(`columns after ${CSV_LIMITS.columns}`);
  if (numeric.length > CSV_LIMITS.numericColumns) capped.push(`numeric columns after ${CSV_LIMITS.numericColumns}`);
  const columns = numeric.slice(0, CSV_LIMITS.numericColumns);
  // All columns together carry at most CSV_LIMITS.values numbers: each keeps an equal share, from the top.
  const total = columns.reduce((s, c) => s + c.values.length, 0);
  if (total > CSV_LIMITS.values) {
    const share = Math.floor(CSV_LIMITS.values / columns.length);
    for (const c of columns) c.values = c.values.slice(0, share);
    capped.push(`values after the first ${share.toLocaleString('en-US')} of each column`);
  }
  return { delimiter, header, rows: data.length, columns, textColumns: all.length - numeric.length, capped };
}

/** Pasted numbers: separated by commas, semicolons, whitespace or newlines; anything else is counted as ignored. */
export function parseNumberList(text: string, max: number = CSV_LIMITS.values): { values: number[]; ignored: number; cut: boolean } {
  const values: number[] = [];
  let ignored = 0;
  let cut = false;
  const body = text.length > CSV_LIMITS.pasted ? text.slice(0, CSV_LIMITS.pasted) : text;
  for (const m of body.matchAll(/[^\s,;]+/g)) {
    const x = cellNumber(m[0]);
    if (x === undefined) ignored++;
    else if (values.length < max) values.push(x);
    else cut = true;
  }
  return { values, ignored, cut: cut || body.length < text.length };
}
