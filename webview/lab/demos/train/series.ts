// The playground's "Your numbers" task: where the numbers come from (pasted into a text area, or
// a column of a CSV file the host reads), and a note of what will be trained on (how many values,
// the split, the normalisation, what was ignored). The numbers live in the lab's state
// (LabViewState.trainSeries, at most CSV_LIMITS.values of them), so a reload trains on them again.
import {
  CSV_LIMITS, DEFAULT_TRAIN_SERIES, parseMessage, parseNumberList, seriesCsvSchema, type SeriesCsv, type TrainSeries,
} from '../../../../protocol';
import { SERIES_MIN_VALUES, seriesSplit } from '../../../../engine/train/series';
import { button, choiceDropdown, dropdown, setDropdownOptions, type ValueElement } from '../../../ui/render/toolkit';
import { el, labelled } from '../../../ui/dom';

export const SERIES_SOURCE_LABELS: Record<TrainSeries['source'], string> = {
  paste: 'Numbers pasted here',
  csv: 'A column of a CSV file',
};

export interface SeriesActions {
  /** The data changed (the user pasted, picked a file or a column): persist it and retrain. */
  changed(s: TrainSeries): void;
  /** "Choose a CSV file…": the host opens a picker and answers with a `csv` or `csvError` message. */
  pickCsv(): void;
}

export interface SeriesValues {
  values: number[];
  /** What the numbers are, for the note: "12 pasted numbers", "column 'temp' of data.csv". */
  label: string;
  /** Cells or words that were not numbers. */
  ignored: number;
  /** What was cut to stay within the bounds. */
  capped: string[];
}

const fmt = (n: number) => n.toLocaleString('en-US');
const short = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(Number(v.toFixed(4))));

/** The values of the series data: the pasted numbers, or the chosen CSV column's. */
export function seriesValues(s: TrainSeries): SeriesValues {
  if (s.source === 'csv') {
    const col = s.csv?.columns[Math.min(s.column, s.csv.columns.length - 1)];
    if (!s.csv || !col) return { values: [], label: 'no CSV file chosen yet', ignored: 0, capped: [] };
    return { values: col.values, label: `column “${col.name}” of ${s.csv.file}`, ignored: col.ignored, capped: s.csv.capped };
  }
  const p = parseNumberList(s.pasted);
  return { values: p.values, label: `${fmt(p.values.length)} pasted numbers`, ignored: p.ignored, capped: p.cut ? [`numbers after the first ${fmt(CSV_LIMITS.values)}`] : [] };
}

/** The sentence under the inputs: what is trained on, the split and the normalisation, what was left out. */
export function seriesNote(v: SeriesValues): string {
  const n = v.values.length;
  const ignored = v.ignored ? ` ${fmt(v.ignored)} non-numeric ${v.ignored === 1 ? 'entry was' : 'entries were'} ignored.` : '';
  const capped = v.capped.length ? ` Left out to stay within bounds: ${v.capped.join('; ')}.` : '';
  if (n < SERIES_MIN_VALUES) return `${v.label}: ${fmt(n)} values; at least ${SERIES_MIN_VALUES} are needed.${ignored}${capped}`;
  const s = seriesSplit(v.values);
  return `Training on ${v.label}: ${fmt(n)} values, the first ${fmt(s.trainN)} for training and the last ${fmt(s.heldN)} (20%) held out for the baselines. `
    + `Each value x is normalised as (x − ${short(s.mean)}) / ${short(s.std)}, the training part's mean and standard deviation; the losses are in those units.${ignored}${capped}`;
}

export class SeriesInput {
  readonly rows: HTMLElement[];
  private s: TrainSeries;
  private cache: { s: TrainSeries; v: SeriesValues } | undefined;
  private readonly source: ValueElement;
  private readonly area = el('textarea', {
    id: 'train-series-text', class: 'series-text', rows: '5', spellcheck: 'false', maxlength: String(CSV_LIMITS.pasted),
    placeholder: 'e.g. 12.1, 12.4, 13.0, 12.8 … (commas, spaces or new lines between them)',
  });
  private readonly column: ValueElement;
  private readonly pasteRow: HTMLElement;
  private readonly csvRow: HTMLElement;
  private readonly columnRow: HTMLElement;
  private readonly file = el('span', { id: 'train-series-file', class: 'note' });
  readonly note = el('p', { id: 'train-series-note', class: 'note', role: 'status' });

  constructor(initial: TrainSeries | undefined, private readonly a: SeriesActions) {
    this.s = initial ?? DEFAULT_TRAIN_SERIES;
    this.source = choiceDropdown('train-series-source', 'Numbers from', SERIES_SOURCE_LABELS, this.s.source, (source) => this.update({ source }));
    this.area.value = this.s.pasted;
    // A change (leaving the field, or "Train on these numbers") retrains: not every keystroke.
    this.area.addEventListener('change', () => this.update({ pasted: this.area.value }));
    const use = button('train-series-use', 'Train on these numbers', { appearance: 'secondary', onClick: () => this.update({ pasted: this.area.value }) });
    const pick = button('train-series-pick', 'Choose a CSV file…', { appearance: 'secondary', onClick: () => a.pickCsv() });
    this.column = dropdown('train-series-column', 'Column', [], '0', (v) => this.update({ column: Number(v) }));
    this.pasteRow = el('div', { class: 'control series-paste' });
    this.pasteRow.append(el('label', { for: 'train-series-text' }, 'Your numbers'), this.area, use);
    this.csvRow = el('div', { class: 'control series-csv' });
    this.csvRow.append(pick, this.file);
    this.columnRow = labelled('train-series-column', 'Column', this.column);
    this.rows = [labelled('train-series-source', 'Numbers from', this.source), this.pasteRow, this.csvRow, this.columnRow, this.note];
    this.render();
  }

  get state(): TrainSeries {
    return this.s;
  }

  /** The numbers to train on now (the same array while the data is unchanged). */
  values(): SeriesValues {
    if (this.cache?.s !== this.s) this.cache = { s: this.s, v: seriesValues(this.s) };
    return this.cache.v;
  }

  /** The data from the lab's state (a revived panel, the host). */
  set(s: TrainSeries | undefined): void {
    const next = s ?? DEFAULT_TRAIN_SERIES;
    if (JSON.stringify(next) === JSON.stringify(this.s)) return;
    this.s = next;
    this.area.value = next.pasted;
    this.render();
  }

  /** The host read the CSV file the user picked. */
  csvRead(csv: SeriesCsv): void {
    // Checked as the state that keeps it will be (a reload validates LabViewState).
    const ok = parseMessage(seriesCsvSchema, csv);
    if (!ok.ok) this.csvFailed(`The CSV file's columns could not be used (${ok.reason}).`);
    else this.update({ source: 'csv', csv: ok.msg, column: 0 });
  }

  csvFailed(text: string): void {
    this.note.textContent = text;
    this.note.classList.add('error');
  }

  show(visible: boolean): void {
    for (const r of this.rows) r.hidden = !visible;
    if (visible) this.render();
  }

  private update(patch: Partial<TrainSeries>): void {
    const next = { ...this.s, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.s)) return;
    this.s = next;
    this.render();
    this.a.changed(this.s);
  }

  private render(): void {
    const csv = this.s.source === 'csv';
    this.source.value = this.s.source;
    if (!this.rows[0].hidden) {
      this.pasteRow.hidden = csv;
      this.csvRow.hidden = !csv;
      this.columnRow.hidden = !csv || !this.s.csv;
    }
    const cols = this.s.csv?.columns ?? [];
    setDropdownOptions(this.column, cols.map((c, i) => ({ value: String(i), label: `${c.name} (${fmt(c.values.length)} numbers)` })), String(this.s.column));
    this.file.textContent = this.s.csv
      ? `${this.s.csv.file}: ${fmt(this.s.csv.rows)} rows${this.s.csv.header ? ' after a header' : ''}, ${cols.length} numeric ${cols.length === 1 ? 'column' : 'columns'}${this.s.csv.textColumns ? `, ${this.s.csv.textColumns} of text (not offered)` : ''}.`
      : 'No file chosen yet.';
    this.note.classList.remove('error');
    this.note.textContent = seriesNote(this.values());
  }
}
