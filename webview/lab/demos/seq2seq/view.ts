// "Attention in Seq2seq": two GRU encoder-decoders learn, in the page, to reverse sequences of
// symbols (engine/train/seq2seq.ts), one reading the input only through the encoder's
// last state, one with additive attention over every encoder state. The view plots greedy-decoding
// accuracy against input length for both (the bottleneck curve), the same with teacher forcing
// (each step fed the true previous symbol: the gap is exposure bias), and the attention weights of
// one example as a heatmap (output step down, source position across).
import type { Seq2seqControls } from '../../../../protocol';
import { Seq2seq, reverseBatch } from '../../../../engine/train/seq2seq';
import { LineChart } from '../../../ui/render/chart';
import { Heatmap } from '../../../ui/render/heatmap';
import type { ValueElement } from '../../../ui/render/toolkit';
import { TrainingLoop } from '../../common/trainingLoop';
import { seedField } from '../../common/seed';
import { el, group, labelled, slider, type Slider } from '../../../ui/dom';
import { LiveDemo, liveDemoSpec } from '../../common/liveDemo';
import { COLOURS } from '../../../ui/render/theme';

export const S2S_TRAIN_STEPS = 1500;
const SYMBOLS = 8;
const H = 16;
const MAX_LENGTH = 16;
const LENGTHS = [2, 4, 6, 8, 10, 12, 14, 16];
const CHUNK = 10;
/** Accuracy is measured every this many updates, on held-out sequences (seeds 999 + L). */
const EVAL_EVERY = 100;
const NAMES = 'ABCDEFGH';

const spell = (tokens: ArrayLike<number>) => Array.from(tokens, (k) => NAMES[k - 1] ?? '?').join('');
const pct = (v: number) => `${(100 * v).toFixed(0)}%`;

export class Seq2seqDemo extends LiveDemo<'seq2seq'> {
  readonly root = el('section', { id: 's2s-demo', class: 'demo', 'aria-label': 'Attention in seq2seq' });
  readonly id = 'seq2seq' as const;
  protected c: Seq2seqControls;
  private none!: Seq2seq;
  private attn!: Seq2seq;
  private readonly loop: TrainingLoop;
  private accNone: number[] = [];
  private accAttn: number[] = [];
  private tfNone: number[] = [];
  private tfAttn: number[] = [];
  private length = 10;
  private chart: LineChart;
  private readonly chartHost = el('div', { id: 's2s-chart', class: 'chart' });
  protected readonly seed: ValueElement;
  private readonly progress = el('p', { id: 's2s-progress', class: 'readout', 'aria-live': 'polite' });
  private readonly summary = el('p', { id: 's2s-summary', class: 'readout' });
  private readonly sLength: Slider;
  private readonly heat: Heatmap;
  private readonly example = el('div', { id: 's2s-example', class: 's2s-example' });

  constructor(initial: Seq2seqControls, onChange: (c: Seq2seqControls) => void, redraw: () => void) {
    super(onChange, redraw);
    this.c = { ...initial };
    this.seed = seedField('s2s-seed', this.c.seed, (seed) => this.change({ seed }));
    this.loop = new TrainingLoop('s2s-train', {
      root: this.root, chunk: CHUNK, perRun: S2S_TRAIN_STEPS,
      steps: () => this.none?.steps ?? 0,
      train: (n) => {
        this.none.train(n, MAX_LENGTH);
        this.attn.train(n, MAX_LENGTH);
        if (this.none.steps % EVAL_EVERY === 0) this.evaluate();
      },
      onProgress: () => this.redraw(),
      onStopped: () => this.evaluate(),
    });
    const controls = el('div', { class: 'controls' });
    controls.append(
      group('The task', el('p', { class: 'note' },
        `Reverse a sequence of 1 to ${MAX_LENGTH} symbols from ${NAMES}. GRU encoder and decoder, hidden size ${H}, teacher forcing in training, greedy decoding in the test.`)),
      group('Training', labelled('s2s-seed', 'Seed', this.seed), this.loop.button, this.progress),
    );
    this.chart = this.makeChart();
    this.sLength = slider('s2s-length', 'Example length', { min: 2, max: MAX_LENGTH, step: 1, value: this.length, onInput: (v) => { this.length = v; this.redraw(); } });
    const canvas = el('canvas', { id: 's2s-attention', role: 'img', 'aria-label': 'Attention weights: source position across, output step down' });
    this.heat = new Heatmap(canvas);
    const fig = el('figure', { class: 'heatmap s2s-figure' });
    const cap = el('figcaption');
    cap.append(el('span', { class: 'title' }, 'Attention weights α: source position → across, output step ↓ down'), el('span', { class: 'range' }, '[0, 1]'));
    fig.append(cap, canvas);
    this.root.append(
      controls,
      el('h3', {}, 'Accuracy against input length (held-out sequences, 64 per length)'), this.chartHost, this.summary,
      el('h3', {}, 'One example'), this.sLength.row, this.example, fig,
    );
    this.restart();
  }

  private makeChart(): LineChart {
    return new LineChart(this.chartHost, {
      xLabel: 'input length', yLabel: 'symbols right', log: false, height: 220,
      series: [
        { label: 'no attention (bottleneck)', ...COLOURS.red },
        { label: 'additive attention', ...COLOURS.blue },
        { label: 'no attention, teacher-forced', ...COLOURS.red, dash: [5, 4], width: 1.5 },
        { label: 'attention, teacher-forced', ...COLOURS.blue, dash: [5, 4], width: 1.5 },
      ],
    });
  }

  /** The theme changed: the chart reads its colours again. */
  rebuildChart(): void {
    this.chart.destroy();
    this.chart = this.makeChart();
    this.plot();
  }

  themeChanged(): void {
    this.rebuildChart();
  }

  protected trainedOn(c: Seq2seqControls): boolean {
    return c.seed === this.c.seed && !!this.none;
  }

  protected restart(): void {
    this.stop();
    const cfg = { symbols: SYMBOLS, H, seed: this.c.seed };
    this.none = new Seq2seq({ ...cfg, attention: false });
    this.attn = new Seq2seq({ ...cfg, attention: true });
    this.evaluate();
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }

  private evaluate(): void {
    const test = (m: Seq2seq) => LENGTHS.map((L) => m.accuracy(reverseBatch(L, 64, SYMBOLS, 999 + L)));
    const forced = (m: Seq2seq) => LENGTHS.map((L) => m.teacherForcedAccuracy(reverseBatch(L, 64, SYMBOLS, 999 + L)));
    this.accNone = test(this.none);
    this.accAttn = test(this.attn);
    this.tfNone = forced(this.none);
    this.tfAttn = forced(this.attn);
    this.plot();
  }

  private plot(): void {
    this.chart.setData(LENGTHS, [this.accNone, this.accAttn, this.tfNone, this.tfAttn]);
  }

  draw(): void {
    this.chart.resize();
    this.progress.textContent = `${this.none.steps} updates each (Adam, batches of 32, lengths 1 to ${MAX_LENGTH}); accuracy measured every ${EVAL_EVERY}.`;
    const at = (L: number) => LENGTHS.indexOf(L);
    const s = at(4), l = at(12);
    this.summary.textContent = `Length 4: no attention ${pct(this.accNone[s])}, attention ${pct(this.accAttn[s])}. ` +
      `Length 12: no attention ${pct(this.accNone[l])}, attention ${pct(this.accAttn[l])}. ` +
      `Length 16: no attention ${pct(this.accNone[at(16)])}, attention ${pct(this.accAttn[at(16)])}. ` +
      `Exposure bias: both were trained with teacher forcing (fed the true previous symbol); at length 12 the model without attention ` +
      `gets ${pct(this.tfNone[l])} of the symbols right when fed the true previous symbols, ${pct(this.accNone[l])} when fed its own outputs (dashed lines: teacher-forced).`;
    this.summary.dataset.tf12 = this.tfNone[l].toFixed(3);
    this.summary.dataset.none12 = this.accNone[l].toFixed(3);
    this.summary.dataset.attn12 = this.accAttn[l].toFixed(3);
    const L = this.length;
    const ex = reverseBatch(L, 1, SYMBOLS, 5000 + L);
    const dn = this.none.decode(ex), da = this.attn.decode(ex);
    const line = (label: string, text: string, id: string, truth?: string) => {
      const p = el('p', { class: 's2s-line', id });
      p.append(el('span', { class: 's2s-label' }, label));
      [...text].forEach((ch, i) => {
        const span = el('span', { class: 's2s-sym' }, ch);
        if (truth && ch !== truth[i]) span.classList.add('wrong');
        p.append(span);
      });
      return p;
    };
    const want = spell(ex.tgt);
    this.example.replaceChildren(
      line('input', spell(ex.src), 's2s-src'), line('reversed', want, 's2s-tgt'),
      line('no attention', spell(dn.predicted), 's2s-none', want), line('attention', spell(da.predicted), 's2s-attn', want),
    );
    // The heatmap reads values[x·rows + y]: x = source position across, y = output step down.
    const values = new Float64Array(L * L);
    for (let t = 0; t < L; t++) for (let s2 = 0; s2 < L; s2++) values[s2 * L + t] = da.alpha![t * L + s2];
    this.heat.setData(values, L, L, { kind: 'sequential' });
    this.heat.draw();
  }
}

export const seq2seqDemo = liveDemoSpec('seq2seq', Seq2seqDemo);
