// The panel of "Train this layer": which checkpoint layer trains, a button back to the
// playground's own models, and per gate the relative change of its weights since they were
// loaded, ‖W_g − W_g0‖ / ‖W_g0‖, against step (fromLayer.ts layerDrift).
import { LineChart, type SeriesSpec } from '../../../ui/render/chart';
import { button } from '../../../ui/render/toolkit';
import { el } from '../../../ui/dom';
import { COLOURS } from '../../../ui/render/theme';
import { TRAIN_HISTORY } from '../../../../protocol';
import type { DriftPoint } from './fromLayer';

const GATE_COLOURS = [COLOURS.blue, COLOURS.orange, COLOURS.green, COLOURS.red];

export class DriftChart {
  readonly box = el('div', { class: 'train-panel', id: 'train-layer-box' });
  readonly headline = el('p', { id: 'train-layer', class: 'headline' });
  private readonly host = el('div', { id: 'train-drift', class: 'chart' });
  private readonly note = el('p', { id: 'train-drift-note', class: 'note' });
  private chart: LineChart | undefined;
  private gates: string[] = [];
  private points: DriftPoint[] = [];

  constructor(leave: () => void) {
    const back = button('train-layer-leave', 'Train the four models instead', { appearance: 'secondary', onClick: leave });
    const hint = el('p', { class: 'note' }, 'Adam moves each weight by up to about the learning rate a step: to stay near a checkpoint\'s small weights, try a rate of 0.001 or less.');
    this.box.append(el('h3', {}, 'Relative change of each gate\'s weights since they were loaded, ‖W_g − W_g0‖ / ‖W_g0‖'), this.host, this.note, hint, back);
    this.box.hidden = true;
    this.headline.hidden = true;
  }

  /** Shows the panel for a layer (its label; `headline` while it is awaited), or hides it. */
  show(label: string | undefined, headline?: string): void {
    this.box.hidden = label === undefined;
    this.headline.hidden = label === undefined;
    this.headline.textContent = label === undefined ? '' : (headline ?? `Training ${label} from its loaded weights.`);
  }

  /** A line in the headline's place with the panel hidden: why the layer is not trained. */
  notice(text: string): void {
    this.headline.hidden = false;
    this.headline.textContent = text;
  }

  clear(): void {
    this.points = [];
    this.note.textContent = '';
    this.chart?.setData([], this.gates.map(() => []));
  }

  add(step: number, gates: string[], values: (number | null)[]): void {
    if (gates.join() !== this.gates.join()) {
      this.gates = gates;
      this.build();
    }
    this.points.push({ step, values });
    if (this.points.length > TRAIN_HISTORY) this.points = this.points.filter((_, i) => i % 2 === 1 || i === this.points.length - 1);
    const xs = this.points.map((p) => p.step);
    this.chart?.setData(xs, gates.map((_, g) => this.points.map((p) => p.values[g])));
    const last = this.points[this.points.length - 1];
    this.note.textContent = `At step ${step.toLocaleString('en-US')}: ${gates.map((g, i) => `${g} ${last.values[i] === null ? '—' : `${(100 * last.values[i]!).toFixed(2)}%`}`).join(', ')}.`;
  }

  /** (Re)builds the chart for the theme. */
  build(): void {
    this.chart?.destroy();
    if (this.gates.length === 0) return;
    const series: SeriesSpec[] = this.gates.map((g, i) => ({ label: `gate ${g}`, ...GATE_COLOURS[i % GATE_COLOURS.length] }));
    this.chart = new LineChart(this.host, { xLabel: 'step', yLabel: '‖W_g − W_g0‖ / ‖W_g0‖', log: false, height: 200, series });
    const xs = this.points.map((p) => p.step);
    this.chart.setData(xs, this.gates.map((_, g) => this.points.map((p) => p.values[g])));
  }

  resize(): void {
    this.chart?.resize();
  }

  get canvas(): HTMLCanvasElement | undefined {
    return this.chart?.canvas;
  }
}
