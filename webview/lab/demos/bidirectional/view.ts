// "Bidirectional RNN": a tagging toy whose tag at each position is the symbol two places later
// (engine/train/bidirectional.ts). A unidirectional and a bidirectional GRU train side
// by side in the page; the view shows their accuracy on held-out sequences, their tags on one
// example, which inputs each output can see (the size of ∂ output / ∂ input, computed by the
// engine's backward pass), and, streaming, what each can emit before the sequence ends.
import type { BidirectionalControls } from '../../../../protocol';
import { TAG_AHEAD, TAG_CLASSES, TAG_SYMBOLS, Tagger, tagBatch, type TagBatch } from '../../../../engine/train/bidirectional';
import { Heatmap } from '../../../ui/render/heatmap';
import type { ValueElement } from '../../../ui/render/toolkit';
import { TrainingLoop } from '../../common/trainingLoop';
import { seedField } from '../../common/seed';
import { el, group, labelled, slider, type Slider } from '../../../ui/dom';
import { LiveDemo, liveDemoSpec } from '../../common/liveDemo';

export const BI_TRAIN_STEPS = 400;
const CHUNK = 5;
const T = 16;
/** Held-out sequences: never a training seed (those are seed·104729 + 7 + n). */
const TEST_SEED = 31337;

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

export class BidirectionalDemo extends LiveDemo<'bidirectional'> {
  readonly root = el('section', { id: 'bi-demo', class: 'demo', 'aria-label': 'Bidirectional RNN' });
  readonly id = 'bidirectional' as const;
  protected c: BidirectionalControls;
  private uni!: Tagger;
  private bi!: Tagger;
  private test!: TagBatch;
  private example: number[] = [];
  private readonly loop: TrainingLoop;
  private position = 3;
  private received = T;

  protected readonly seed: ValueElement;
  private readonly progress = el('p', { id: 'bi-progress', class: 'readout', 'aria-live': 'polite' });
  private readonly accuracy = el('div', { id: 'bi-accuracy', class: 'bi-accuracy' });
  private readonly table = el('table', { id: 'bi-tags', class: 'bi-tags' });
  private readonly sPos: Slider;
  private readonly sRecv: Slider;
  private readonly sees: Heatmap;
  private readonly seesText = el('p', { id: 'bi-sees', class: 'readout' });
  private readonly streamText = el('p', { id: 'bi-stream', class: 'readout', 'aria-live': 'polite' });

  constructor(initial: BidirectionalControls, onChange: (c: BidirectionalControls) => void, redraw: () => void) {
    super(onChange, redraw);
    this.c = { ...initial };
    this.seed = seedField('bi-seed', this.c.seed, (seed) => this.change({ seed }));
    this.loop = new TrainingLoop('bi-train', {
      root: this.root, chunk: CHUNK, perRun: BI_TRAIN_STEPS,
      steps: () => this.uni?.steps ?? 0,
      train: (n) => {
        this.uni.train(n);
        this.bi.train(n);
      },
      onProgress: () => this.redraw(),
    });
    const controls = el('div', { class: 'controls' });
    controls.append(
      group('The task', el('p', { class: 'note' }, `Input: ${T} symbols from ${TAG_SYMBOLS.join(', ')}. Tag at position t: the symbol ${TAG_AHEAD} places later ("end" for the last ${TAG_AHEAD}).`)),
      group('Training', labelled('bi-seed', 'Seed', this.seed), this.loop.button, this.progress),
    );
    this.sPos = slider('bi-position', 'Output position t', { min: 0, max: T - 1, step: 1, value: this.position, onInput: (v) => { this.position = v; this.redraw(); } });
    const canvas = el('canvas', { id: 'bi-sees-map', role: 'img', 'aria-label': 'Which inputs output t can see: inputs across; unidirectional above, bidirectional below' });
    this.sees = new Heatmap(canvas);
    this.sRecv = slider('bi-received', 'Symbols received', { min: 1, max: T, step: 1, value: this.received, onInput: (v) => { this.received = v; this.redraw(); } });
    const fig = el('figure', { class: 'heatmap bi-sees-figure' });
    const cap = el('figcaption');
    cap.append(el('span', { class: 'title' }, '|∂ output_t / ∂ input_s|, each row scaled to its largest'), el('span', { class: 'range' }, 'top: unidirectional · bottom: bidirectional'));
    fig.append(cap, canvas);
    this.root.append(
      controls,
      el('h3', {}, 'Accuracy on held-out sequences'), this.accuracy,
      el('h3', {}, 'One example'), this.table,
      el('h3', {}, 'Which inputs each output can see'), this.sPos.row, fig, this.seesText,
      el('h3', {}, 'Streaming'), this.sRecv.row, this.streamText,
    );
    this.restart();
  }

  protected trainedOn(c: BidirectionalControls): boolean {
    return c.seed === this.c.seed && !!this.uni;
  }

  protected restart(): void {
    this.stop();
    this.uni = new Tagger(false, this.c.seed);
    this.bi = new Tagger(true, this.c.seed);
    this.test = tagBatch(T, 64, TEST_SEED);
    const ex = tagBatch(T, 1, TEST_SEED + 1 + this.c.seed);
    this.example = [...ex.symbols];
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }

  draw(): void {
    this.progress.textContent = `${this.uni.steps} updates each (Adam, batches of 16 fresh sequences).`;
    this.drawAccuracy();
    this.drawExample();
    this.drawSees();
    this.drawStream();
  }

  /** Accuracy over the positions whose tag is a later symbol (the "end" tags need no look-ahead). */
  private drawAccuracy(): void {
    const looked = (pred: Int32Array) => {
      let hit = 0, n = 0;
      for (let r = 0; r < (T - TAG_AHEAD) * this.test.B; r++, n++) if (pred[r] === this.test.tags[r]) hit++;
      return hit / n;
    };
    const u = looked(this.uni.evaluate(this.test).predicted);
    const b = looked(this.bi.evaluate(this.test).predicted);
    const row = (id: string, name: string, v: number) => {
      const r = el('div', { class: 'bi-bar-row' });
      const bar = el('div', { class: 'bi-bar' });
      const fill = el('div', { class: 'bi-bar-fill', id });
      fill.style.width = `${(100 * v).toFixed(1)}%`;
      bar.append(fill);
      r.append(el('span', { class: 'bi-bar-label' }, name), bar, el('span', { class: 'bi-bar-value' }, pct(v)));
      return r;
    };
    this.accuracy.replaceChildren(
      row('bi-acc-uni', 'Unidirectional', u), row('bi-acc-bi', 'Bidirectional', b),
      el('p', { class: 'note', id: 'bi-acc-text' },
        `Tags that name a later symbol, ${this.test.B} held-out sequences: unidirectional ${pct(u)}, bidirectional ${pct(b)} ` +
        `(chance is ${pct(1 / TAG_SYMBOLS.length)}).`),
    );
    this.accuracy.dataset.uni = u.toFixed(3);
    this.accuracy.dataset.bi = b.toFixed(3);
  }

  private drawExample(): void {
    const tags = [...this.example.keys()].map((t) => (t + TAG_AHEAD < T ? this.example[t + TAG_AHEAD] : TAG_SYMBOLS.length));
    const u = this.uni.tag(this.example).predicted, b = this.bi.tag(this.example).predicted;
    const row = (name: string, values: ArrayLike<number>, names: readonly string[], check?: boolean) => {
      const tr = el('tr');
      tr.append(el('th', { scope: 'row' }, name));
      for (let t = 0; t < T; t++) {
        const td = el('td', {}, names[values[t]]);
        if (check) td.classList.add(values[t] === tags[t] ? 'right' : 'wrong');
        if (t === this.position) td.classList.add('selected');
        tr.append(td);
      }
      return tr;
    };
    const head = el('tr');
    head.append(el('th', {}, 't'), ...this.example.map((_, t) => el('th', { scope: 'col' }, String(t))));
    this.table.replaceChildren(head,
      row('input', this.example, TAG_SYMBOLS), row('tag', tags, TAG_CLASSES),
      row('uni', u, TAG_CLASSES, true), row('bi', b, TAG_CLASSES, true));
  }

  private drawSees(): void {
    const t = this.position;
    const su = this.uni.sensitivity(this.example, t), sb = this.bi.sensitivity(this.example, t);
    const mu = Math.max(...su) || 1, mb = Math.max(...sb) || 1;
    const values = new Float64Array(T * 2);
    for (let s = 0; s < T; s++) {
      values[s * 2] = su[s] / mu;
      values[s * 2 + 1] = sb[s] / mb;
    }
    this.sees.setData(values, T, 2, { kind: 'sequential' });
    this.sees.setCursor(t, -1);
    this.sees.draw();
    const seen = (a: Float64Array) => a.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
    const need = t + TAG_AHEAD < T ? ` Its tag is input ${t + TAG_AHEAD}.` : '';
    this.seesText.textContent = `Output ${t}: the unidirectional GRU's depends on ${seen(su)} of ${T} inputs (0 to ${t}), ` +
      `the bidirectional GRU's on ${seen(sb)} of ${T}.${need}`;
    this.seesText.dataset.uni = String(seen(su));
    this.seesText.dataset.bi = String(seen(sb));
  }

  /** With p symbols received: the unidirectional tags so far are final; the bidirectional ones are not. */
  private drawStream(): void {
    const p = this.received;
    const prefix = this.example.slice(0, p);
    const uFull = this.uni.tag(this.example).predicted, bFull = this.bi.tag(this.example).predicted;
    const uPre = this.uni.tag(prefix).predicted, bPre = this.bi.tag(prefix).predicted;
    let uChanged = 0, bChanged = 0;
    for (let t = 0; t < p; t++) {
      if (uPre[t] !== uFull[t]) uChanged++;
      if (bPre[t] !== bFull[t]) bChanged++;
    }
    this.streamText.textContent = p === T
      ? `All ${T} symbols are in: both models can emit every tag.`
      : `After ${p} of ${T} symbols: the unidirectional GRU has emitted ${p} tags, and ${uChanged} of them change when the rest arrives. ` +
        `The bidirectional GRU's backward direction has not started; tagging the ${p} symbols so far, ${bChanged} of its ${p} tags differ ` +
        'from its tags on the whole sequence, so it emits nothing before the end.';
    this.streamText.dataset.uniChanged = String(uChanged);
    this.streamText.dataset.biChanged = String(bChanged);
  }
}

export const bidirectionalDemo = liveDemoSpec('bidirectional', BidirectionalDemo);
