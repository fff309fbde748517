// The character model's figures: the loss chart (training and held-out, in nats per character,
// against ln V and the unigram entropy), the samples, the text shaded by one hidden unit's
// activation (with a table of the same numbers), and the units that track simple features of
// the text. They draw what the run measured; the run (view.ts) decides when.
import { LineChart } from '../../../ui/render/chart';
import { COLOURS } from '../../../ui/render/theme';
import { el } from '../../../ui/dom';
import { button } from '../../../ui/render/toolkit';
import { FEATURE_NAMES, FEATURES, type FeatureKey, type TrackingUnit } from './math';

interface TrackRow {
  unit?: number;
  unitCell: HTMLElement;
  rCell: HTMLElement;
  button: HTMLElement;
}

/** One recorded point: the step, the training loss (mean since the last point) and the held-out loss. */
export interface LossPoint {
  step: number;
  train: number | null;
  held: number | null;
}

/** The characters shaded (and listed in the table) at most. */
export const SHADED_CHARS = 600;

const nats = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3));

export class CharFigures {
  readonly lossBox = el('section', { class: 'train-panel', 'aria-label': 'Loss' });
  readonly sampleBox = el('section', { class: 'train-panel', 'aria-label': 'Samples' });
  readonly unitBox = el('section', { class: 'train-panel char-units', 'aria-label': 'Hidden units over the text' });
  readonly lossLine = el('p', { id: 'char-loss-line', class: 'headline', role: 'status' });
  readonly sample = el('code', { id: 'char-sample' });
  readonly shaded = el('pre', { id: 'char-shaded', class: 'char-shaded', role: 'img', tabindex: '0' });
  readonly shadedNote = el('p', { id: 'char-shaded-note', class: 'note' });
  readonly tracking = el('table', { id: 'char-tracking', class: 'numbers-table' });
  readonly valueTable = el('table', { id: 'char-values', class: 'numbers-table' });
  private readonly lossHost = el('div', { id: 'char-loss', class: 'chart' });
  private chart: LineChart | undefined;
  private trackRows: Map<FeatureKey, TrackRow> | undefined;
  private readonly rHead = el('th', { scope: 'col' });
  private showUnit: ((unit: number) => void) | undefined;

  constructor(unitPicker: HTMLElement) {
    this.lossBox.append(el('h3', {}, 'Loss in nats per character against step'), this.lossHost);
    const samples = el('div', { class: 'samples' });
    const block = el('div', { class: 'sample' });
    block.append(this.sample);
    samples.append(block);
    this.sampleBox.append(el('h3', {}, 'A sample'), samples);
    const details = el('details', { id: 'char-values-details' });
    details.append(el('summary', {}, 'The same activations as a table'), this.valueTable);
    this.unitBox.append(
      el('h3', {}, 'A hidden unit over the text'), unitPicker, this.shadedNote, this.shaded, details,
      el('h3', {}, 'Units that track'), this.tracking,
    );
  }

  /** (Re)builds the chart for the theme, keeping its data. */
  build(): void {
    this.chart?.destroy();
    const dashed = (label: string, c: { colorVar: string; fallback: string }) => ({ label, ...c, dash: [6, 4], width: 1 });
    this.chart = new LineChart(this.lossHost, {
      xLabel: 'step', yLabel: 'nats / char', log: false, height: 220,
      series: [
        { label: 'training', ...COLOURS.blue },
        { label: 'held-out', ...COLOURS.orange },
        dashed('uniform ln V', COLOURS.muted),
        dashed('unigram entropy', COLOURS.green),
      ],
    });
  }

  curves(points: readonly LossPoint[], uniform: number, unigram: number): void {
    const xs = points.map((p) => p.step);
    this.chart?.setData(xs, [points.map((p) => p.train), points.map((p) => p.held), xs.map(() => uniform), xs.map(() => unigram)]);
  }

  /** The line under the chart: the losses now against the two references. */
  lossText(step: number, last: LossPoint | undefined, held: number | null, uniform: number, unigram: number, V: number): void {
    const refs = `uniform over the ${V} symbols: ln ${V} = ${uniform.toFixed(3)}; the text's unigram entropy: ${unigram.toFixed(3)}`;
    this.lossLine.textContent = step === 0 || !last
      ? `Not trained yet. Nats per character: ${refs}.`
      : `At step ${step.toLocaleString('en-US')}: training loss ${nats(last.train)}, held-out loss ${nats(held)} nats per character; ${refs}.`;
    this.lossLine.dataset.held = held === null ? '' : held.toFixed(4);
  }

  showSample(text: string, step: number, temperature: number): void {
    this.sample.textContent = text;
    this.sample.dataset.step = String(step);
    this.sample.title = `Sampled at temperature ${temperature.toFixed(2)} after step ${step.toLocaleString('en-US')}`;
  }

  /** The stretch of text, each character shaded by unit u's h (blue above 0, red below), and the table of the same. */
  shade(chars: readonly string[], h: ArrayLike<number>, H: number, u: number, step: number): void {
    const n = Math.min(chars.length, SHADED_CHARS);
    const spans: Node[] = [];
    const rows: HTMLElement[] = [];
    for (let t = 0; t < n; t++) {
      const v = h[t * H + u];
      const span = el('span', {}, chars[t]);
      const pct = Math.round(Math.min(1, Math.abs(v)) * 70);
      const colour = v >= 0 ? 'var(--vscode-charts-blue, #1a85ff)' : 'var(--vscode-charts-red, #e51400)';
      span.style.backgroundColor = `color-mix(in srgb, ${colour} ${pct}%, transparent)`;
      span.title = `h[${u}] = ${v.toFixed(3)}`;
      spans.push(span);
      const tr = el('tr');
      tr.append(el('td', {}, String(t)), el('td', {}, JSON.stringify(chars[t])), el('td', {}, v.toFixed(3)));
      rows.push(tr);
    }
    this.shaded.replaceChildren(...spans);
    this.shaded.setAttribute('aria-label', `The first ${n} characters of the text, each shaded by hidden unit ${u}'s activation (blue above 0, red below); the table below lists the values.`);
    this.shaded.dataset.unit = String(u);
    this.shaded.dataset.step = String(step);
    this.shadedNote.textContent = `Unit ${u} of ${H} after step ${step.toLocaleString('en-US')}: blue where h > 0, red where h < 0, stronger for larger |h| (at most 1).`;
    const head = el('tr');
    for (const label of ['position', 'character', `h[${u}]`]) head.append(el('th', { scope: 'col' }, label));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    body.append(...rows);
    this.valueTable.replaceChildren(thead, body);
  }

  /**
   * For each feature: the unit that correlates most, its r, and a button that shows that unit. The
   * rows are built once and their cells rewritten, so a button keeps the keyboard's focus while
   * the numbers refresh.
   */
  track(units: readonly TrackingUnit[], n: number, show: (unit: number) => void): void {
    this.showUnit = show;
    if (!this.trackRows) this.trackRows = this.buildTracking();
    this.rHead.textContent = `Pearson r over ${n} characters`;
    for (const t of units) {
      const row = this.trackRows.get(t.feature)!;
      row.unit = t.unit;
      row.unitCell.textContent = t.unit === undefined ? '—' : String(t.unit);
      row.rCell.textContent = t.r === undefined ? 'does not vary over these characters' : t.r.toFixed(3);
      row.button.hidden = t.unit === undefined;
      row.button.setAttribute('aria-label', t.unit === undefined ? 'Show: no unit to show' : `Show unit ${t.unit}: shade the text by its activation`);
    }
  }

  private buildTracking(): Map<FeatureKey, TrackRow> {
    const rows = new Map<FeatureKey, TrackRow>();
    const head = el('tr');
    head.append(el('th', { scope: 'col' }, 'feature'), el('th', { scope: 'col' }, 'unit'), this.rHead, el('th', { scope: 'col' }, ''));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    for (const feature of FEATURES) {
      const tr = el('tr', { 'data-feature': feature });
      const row: TrackRow = {
        unitCell: el('td', { class: 'unit' }), rCell: el('td', { class: 'r' }),
        button: button(`char-show-${feature}`, 'Show', {
          appearance: 'secondary', onClick: () => {
            if (row.unit !== undefined) this.showUnit?.(row.unit);
          },
        }),
      };
      const cell = el('td');
      cell.append(row.button);
      tr.append(el('th', { scope: 'row' }, FEATURE_NAMES[feature]), row.unitCell, row.rCell, cell);
      body.append(tr);
      rows.set(feature, row);
    }
    this.tracking.replaceChildren(thead, body);
    return rows;
  }

  resize(): void {
    this.chart?.resize();
  }

  get canvas(): HTMLCanvasElement | undefined {
    return this.chart?.canvas;
  }
}
