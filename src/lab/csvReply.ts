// The answer to the playground's `pickCsv` for a file's bytes: its numeric columns, or why there
// are none, on one line. Pure (no editor): the host reads the file (seriesCsv.ts).
import { CSV_LIMITS, parseCsv, type LabHostMessage } from '../../protocol';
import { sizeText } from './readableFile';

export type CsvReply = Extract<LabHostMessage, { type: 'csv' | 'csvError' }>;

/** The reply for a file's bytes: its numeric columns, or why there are none (one line). Pure. */
export function csvReply(name: string, bytes: Uint8Array): CsvReply {
  if (bytes.length > CSV_LIMITS.bytes) return { type: 'csvError', text: `${name} is larger than ${sizeText(CSV_LIMITS.bytes)}` };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const t = parseCsv(text);
  if (t.columns.length === 0) {
    return { type: 'csvError', text: `${name} has no column of numbers (${t.rows.toLocaleString('en-US')} rows read, comma, semicolon or tab separated)` };
  }
  return { type: 'csv', csv: { file: name, rows: t.rows, header: t.header, textColumns: t.textColumns, capped: t.capped, columns: t.columns } };
}

