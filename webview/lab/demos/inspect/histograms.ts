// The inspector's per-gate weight histograms: the values of each gate block's W_hh, the
// checkpoint's beside a fresh initialisation of the same shape, on one shared range per gate, with
// a sentence per gate (mean, standard deviation, share beyond the fresh range) as the text alternative.
import type { RecurrentLayer } from '../../../../engine/checkpoint';
import { sig } from '../../../../engine/summaries/bptt';
import { GATES, gateBlock } from '../../../../engine/summaries/inspect';
import { drawHistogram, type PlotSeries } from '../../../ui/render/plots';
import { el } from '../../../ui/dom';

type Layer = Pick<RecurrentLayer, 'cell' | 'D' | 'H' | 'params'>;

const BINS = 32;

function stats(v: Float64Array): { mean: number; sd: number; min: number; max: number } {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (const x of v) {
    s += x;
    s2 += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = s / v.length;
  return { mean, sd: Math.sqrt(Math.max(0, s2 / v.length - mean * mean)), min, max };
}

function counts(v: Float64Array, min: number, max: number): number[] {
  const out = new Array<number>(BINS).fill(0);
  const span = max - min || 1;
  for (const x of v) out[Math.min(BINS - 1, Math.max(0, Math.floor(((x - min) / span) * BINS)))]++;
  return out;
}

export class WeightHistograms {
  readonly root = el('div', { id: 'inspect-histograms', class: 'spectra' });
  private items: { canvas: HTMLCanvasElement; draw: () => void }[] = [];

  constructor(private readonly trained: PlotSeries, private readonly fresh: PlotSeries) {}

  /** Rebuilt when the layer changes. */
  set(layer: Layer, freshLayer: Layer): void {
    this.items = [];
    const figures = GATES[layer.cell].map((g, q) => {
      const a = gateBlock(layer, q);
      const b = gateBlock(freshLayer, q);
      const sa = stats(a);
      const sb = stats(b);
      const min = Math.min(sa.min, sb.min);
      const max = Math.max(sa.max, sb.max);
      let beyond = 0;
      for (const x of a) if (x < sb.min || x > sb.max) beyond++;
      const text = `${g.key} (${g.name}): checkpoint mean ${sig(sa.mean)}, sd ${sig(sa.sd)}; fresh sd ${sig(sb.sd)}; ` +
        `${(100 * beyond / a.length).toFixed(1)}% of the checkpoint's weights lie outside the fresh range.`;
      const canvas = el('canvas', { class: 'plot', role: 'img', 'aria-label': `Histogram of W_hh ${g.key}. ${text}`, 'data-gate': g.key });
      const ca = counts(a, min, max);
      const cb = counts(b, min, max);
      this.items.push({ canvas, draw: () => drawHistogram(canvas, min, max, [{ series: this.trained, counts: ca }, { series: this.fresh, counts: cb }], 0) });
      const fig = el('figure', { class: 'spectrum' });
      fig.append(el('figcaption', {}, `W_hh ${g.key} — ${g.name}`), canvas, el('p', { class: 'note' }, text));
      return fig;
    });
    this.root.replaceChildren(...figures);
  }

  draw(): void {
    for (const i of this.items) i.draw();
  }

  get canvases(): HTMLCanvasElement[] {
    return this.items.map((i) => i.canvas);
  }
}
