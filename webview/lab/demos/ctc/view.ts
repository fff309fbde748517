// "CTC Alignment": type a word; a GRU learns, live and with the CTC loss alone, to read it from
// synthetic speech-like frames (engine/train/ctcAligner.ts). On a rendition it never
// trained on, the page shows the per-frame class probabilities, the CTC lattice (time × the
// blank-augmented target) shaded by α·β (the posterior of each lattice cell) with the most
// probable alignment drawn through it, the collapse rule as a toy (click a frame to change its
// symbol), greedy and prefix beam search decoding side by side, and streaming: frames arrive one
// by one and the greedy output grows (the GRU is causal, so frame t's output needs no later frame).
import type { CtcControls } from '../../../../protocol';
import { bestAlignment, collapse, greedyDecode, prefixBeamSearch, type CtcResult } from '../../../../engine/ctc';
import { CtcAligner, checkWord, utterance, type Utterance } from '../../../../engine/train/ctcAligner';
import { Heatmap, type HeatCell } from '../../../ui/render/heatmap';
import { button, textField, type ValueElement } from '../../../ui/render/toolkit';
import { TrainingLoop } from '../../common/trainingLoop';
import { seedField } from '../../common/seed';
import { el, group, labelled, slider, type Slider } from '../../../ui/dom';
import { LiveDemo, liveDemoSpec } from '../../common/liveDemo';
import { errorText } from '../../../ui/text';
import { COLOURS, themeColour } from '../../../ui/render/theme';

/** Updates per animation frame while training, and per press of "Train". */
const CHUNK = 5;
export const CTC_TRAIN_STEPS = 300;
/** The held-out rendition the page decodes (never a training seed: those are seed·7919 + 1 + n). */
const TEST_SEED = 424242;

const spell = (alphabet: string[], labels: number[]) => labels.map((k) => alphabet[k]).join('');
const pct = (p: number) => `${(100 * p).toFixed(p > 0.995 || p < 0.005 ? 2 : 1)}%`;

export class CtcDemo extends LiveDemo<'ctc'> {
  readonly root = el('section', { id: 'ctc-demo', class: 'demo', 'aria-label': 'CTC alignment' });
  readonly id = 'ctc' as const;
  protected c: CtcControls;
  private aligner: CtcAligner | undefined;
  private test: Utterance | undefined;
  private result: CtcResult | undefined;
  private readonly loop: TrainingLoop;
  /** The collapse toy's frame path (class per frame), seeded from the greedy path. */
  private toy: number[] = [];
  private frames = 0;
  private playing: ReturnType<typeof setInterval> | undefined;

  private readonly word: ValueElement;
  private readonly wordError = el('p', { id: 'ctc-word-error', class: 'note warning', role: 'alert' });
  protected readonly seed: ValueElement;
  private readonly progress = el('p', { id: 'ctc-progress', class: 'readout', 'aria-live': 'polite' });
  private readonly probs: Heatmap;
  private readonly lattice: Heatmap;
  private readonly probRows = el('ol', { id: 'ctc-prob-rows', class: 'ctc-rows' });
  private readonly latticeRows = el('ol', { id: 'ctc-lattice-rows', class: 'ctc-rows' });
  private readonly readout = el('p', { id: 'ctc-readout', class: 'readout', 'aria-live': 'polite' }, 'Hover a cell to read its value.');
  private readonly toyFrames = el('div', { id: 'ctc-toy', class: 'ctc-toy', role: 'group', 'aria-label': 'Frame path: activate a frame to change its symbol' });
  private readonly toyMerged = el('p', { id: 'ctc-toy-merged', class: 'readout' });
  private readonly toyOut = el('p', { id: 'ctc-toy-out', class: 'readout' });
  private readonly greedyOut = el('div', { id: 'ctc-greedy', class: 'ctc-decode' });
  private readonly beamOut = el('div', { id: 'ctc-beam', class: 'ctc-decode' });
  private readonly sFrames: Slider;
  private readonly playButton: HTMLElement;
  private readonly streamOut = el('p', { id: 'ctc-stream', class: 'readout ctc-stream', 'aria-live': 'polite' });

  constructor(initial: CtcControls, onChange: (c: CtcControls) => void, redraw: () => void) {
    super(onChange, redraw);
    this.c = { ...initial };
    this.word = textField('ctc-word', 'Target word', this.c.word, (v) => {
      try {
        const w = checkWord(v);
        this.wordError.textContent = '';
        if (w !== this.c.word) this.change({ word: w });
      } catch (err) {
        this.wordError.textContent = `“${v.slice(0, 40)}”: ${errorText(err)}.`;
      }
    }, { maxLength: 12 });
    this.seed = seedField('ctc-seed', this.c.seed, (seed) => this.change({ seed }));
    this.loop = new TrainingLoop('ctc-train', {
      root: this.root, chunk: CHUNK, perRun: CTC_TRAIN_STEPS,
      steps: () => this.aligner?.steps ?? 0,
      train: (n) => this.aligner?.train(n),
      onProgress: () => {
        this.evaluate();
        this.redraw();
      },
    });
    const reset = button('ctc-reset', 'Retrain from scratch', { appearance: 'secondary', onClick: () => this.restart() });

    const controls = el('div', { class: 'controls' });
    controls.append(
      group('Target', labelled('ctc-word', 'Word (a–z)', this.word), this.wordError, labelled('ctc-seed', 'Seed', this.seed)),
      group('Training', this.loop.button, reset, this.progress),
    );

    const probCanvas = el('canvas', { id: 'ctc-probs', role: 'img', 'aria-label': 'Class probability per frame: time across, classes down' });
    this.probs = new Heatmap(probCanvas, { onHover: (cell) => this.hover('probs', cell), onClick: (cell) => this.setFrames(cell.step + 1) });
    const latticeCanvas = el('canvas', { id: 'ctc-lattice', role: 'img', 'aria-label': 'CTC lattice: time across, extended target down; shading α·β, line the best alignment' });
    this.lattice = new Heatmap(latticeCanvas, { onHover: (cell) => this.hover('lattice', cell) });
    const figure = (title: string, range: string, rows: HTMLElement, canvas: HTMLCanvasElement) => {
      const fig = el('figure', { class: 'heatmap ctc-figure' });
      const cap = el('figcaption');
      cap.append(el('span', { class: 'title' }, title), el('span', { class: 'range' }, range));
      const body = el('div', { class: 'ctc-figure-body' });
      body.append(rows, canvas);
      fig.append(cap, body);
      return fig;
    };

    this.sFrames = slider('ctc-frames', 'Frames received', { min: 1, max: 2, step: 1, value: 1, onInput: (v) => this.setFrames(v) });
    this.playButton = button('ctc-play', 'Stream', { ariaLabel: 'Stream the frames one by one', onClick: () => this.togglePlay() });
    this.playButton.dataset.play = '';
    const stream = el('div', { class: 'scrubber' });
    stream.append(this.playButton, this.sFrames.row);

    const decode = el('div', { class: 'ctc-decodes' });
    const g = el('div');
    g.append(el('h3', {}, 'Greedy (best path)'), this.greedyOut);
    const b = el('div');
    b.append(el('h3', {}, 'Prefix beam search (width 4)'), this.beamOut);
    decode.append(g, b);

    this.root.append(
      controls,
      figure('Per-frame class probabilities p(k | x, t)', '[0, 1]', this.probRows, probCanvas),
      figure('CTC lattice: α·β per cell, best alignment', 'posterior [0, 1]', this.latticeRows, latticeCanvas),
      this.readout,
      el('h3', {}, 'The collapse rule: merge repeats, then drop blanks'),
      el('p', { class: 'note' }, 'The frames below start as the greedy path. Activate a frame (click, Enter or Space) to change its symbol; Shift goes back.'),
      this.toyFrames, this.toyMerged, this.toyOut,
      el('h3', {}, 'Decoding the held-out utterance'), decode,
      el('h3', {}, 'Streaming'), stream, this.streamOut,
    );
    this.restart();
  }

  get controls(): CtcControls {
    return this.c;
  }

  protected trainedOn(c: CtcControls): boolean {
    return c.word === this.c.word && c.seed === this.c.seed && !!this.aligner;
  }

  protected override showControls(c: CtcControls): void {
    if (this.word.value !== c.word) this.word.value = c.word;
    super.showControls(c);
  }

  /** A fresh model for the current word and seed, trained CTC_TRAIN_STEPS updates in the background. */
  protected restart(): void {
    this.aligner = new CtcAligner(this.c.word, this.c.seed);
    this.test = utterance(this.c.word, TEST_SEED);
    this.frames = this.test.T;
    this.stopPlay();
    this.evaluate();
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
    this.stopPlay();
  }

  private evaluate(): void {
    const a = this.aligner!, u = this.test!;
    this.result = a.evaluate(u);
    const g = greedyDecode(this.result.logProbs, u.T, a.C);
    this.toy = g.path.slice();
  }

  draw(): void {
    const a = this.aligner, u = this.test, r = this.result;
    if (!a || !u || !r) return;
    const { T } = u;
    const C = a.C, S = r.extended.length;
    this.root.dataset.steps = String(a.steps);
    this.progress.textContent = `${a.steps} updates (Adam, one fresh rendition of “${a.word}” each). ` +
      `CTC loss on the held-out rendition (${T} frames): ${r.loss.toFixed(3)} nats, p(“${a.word}” | x) = ${pct(Math.exp(-r.loss))}.`;

    // Probabilities: the heatmap reads (T, rows) as t·rows + k.
    const probs = r.logProbs.map(Math.exp);
    this.probs.setData(probs, T, C, { kind: 'sequential' });
    this.probs.setCursor(this.frames - 1, -1);
    this.probs.draw();
    this.rows(this.probRows, a.alphabet);

    const post = new Float64Array(T * S);
    for (let t = 0; t < T; t++) {
      for (let s = 0; s < S; s++) {
        const v = r.alpha[t * S + s] + r.beta[t * S + s] - r.logProbs[t * C + r.extended[s]] + r.loss;
        post[t * S + s] = Number.isFinite(v) ? Math.exp(v) : 0;
      }
    }
    this.lattice.setData(post, T, S, { kind: 'sequential' });
    this.lattice.setCursor(-1, -1);
    this.lattice.draw();
    this.rows(this.latticeRows, [...r.extended].map((k) => a.alphabet[k]));
    this.drawPath(bestAlignment(r.logProbs, T, C, u.target), T, S);

    this.drawToy(a.alphabet);
    this.drawDecodes(a, r, T);
    this.drawStream(a, r);
  }

  private rows(list: HTMLElement, names: string[]): void {
    if (list.childElementCount === names.length && [...list.children].every((li, i) => li.textContent === names[i])) return;
    list.replaceChildren(...names.map((n) => el('li', {}, n)));
    list.style.gridTemplateRows = `repeat(${names.length}, minmax(0, 1fr))`;
  }

  /** The most probable alignment as a line through the lattice's cells. */
  private drawPath(path: number[], T: number, S: number): void {
    const canvas = this.lattice.canvas;
    const ctx = canvas.getContext('2d');
    if (!ctx || path.length === 0) return;
    const cw = canvas.width / T, ch = canvas.height / S;
    const css = getComputedStyle(document.body);
    ctx.strokeStyle = themeColour(css, COLOURS.error);
    ctx.lineWidth = Math.max(2, (globalThis.devicePixelRatio || 1) * 2);
    ctx.beginPath();
    path.forEach((s, t) => {
      const x = (t + 0.5) * cw, y = (s + 0.5) * ch;
      if (t === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }

  private drawToy(alphabet: string[]): void {
    const C = alphabet.length;
    if (this.toyFrames.childElementCount !== this.toy.length) {
      this.toyFrames.replaceChildren(...this.toy.map((_, t) => {
        const b = el('button', { type: 'button', class: 'ctc-frame', 'data-t': String(t) });
        b.addEventListener('click', (e) => {
          this.toy[t] = (this.toy[t] + (e.shiftKey ? C - 1 : 1)) % C;
          this.drawToy(alphabet);
        });
        return b;
      }));
    }
    this.toy.forEach((k, t) => {
      const b = this.toyFrames.children[t] as HTMLButtonElement;
      b.textContent = alphabet[k];
      b.classList.toggle('blank', k === 0);
      b.setAttribute('aria-label', `frame ${t}: ${k === 0 ? 'blank' : alphabet[k]}`);
    });
    const merged: number[] = [];
    this.toy.forEach((k, t) => { if (t === 0 || k !== this.toy[t - 1]) merged.push(k); });
    this.toyMerged.textContent = `merge repeats → ${merged.map((k) => alphabet[k]).join(' ')}`;
    const out = spell(alphabet, collapse(this.toy, 0));
    this.toyOut.textContent = `drop blanks → “${out}”${out === this.aligner?.word ? ' (the target)' : ''}`;
  }

  private drawDecodes(a: CtcAligner, r: CtcResult, T: number): void {
    const g = greedyDecode(r.logProbs, T, a.C);
    const greedyText = spell(a.alphabet, g.labels);
    this.greedyOut.replaceChildren(
      el('p', { class: 'ctc-path' }, g.path.map((k) => a.alphabet[k]).join(' ')),
      el('p', {}, `→ “${greedyText}”, path probability ${Math.exp(g.logProb).toExponential(2)}`),
    );
    const beams = prefixBeamSearch(r.logProbs, T, a.C, 4);
    const list = el('ol', { class: 'ctc-beams' });
    for (const h of beams) list.append(el('li', {}, `“${spell(a.alphabet, h.labels)}”: ${pct(Math.exp(h.logProb))}`));
    const agree = spell(a.alphabet, beams[0].labels) === greedyText;
    this.beamOut.replaceChildren(list, el('p', { class: 'note', id: 'ctc-agree' },
      agree ? 'Both decoders read the same text here.' : `They disagree: the beam sums the alignments of “${spell(a.alphabet, beams[0].labels)}”, which no single path shows.`));
    this.greedyOut.dataset.text = greedyText;
    this.beamOut.dataset.text = spell(a.alphabet, beams[0].labels);
  }

  private drawStream(a: CtcAligner, r: CtcResult): void {
    const T = this.test!.T;
    this.frames = Math.min(Math.max(1, this.frames), T);
    this.sFrames.set(this.frames, T);
    const t = this.frames;
    const prefix = r.logProbs.subarray(0, t * a.C);
    const g = greedyDecode(prefix, t, a.C);
    const text = spell(a.alphabet, g.labels);
    this.streamOut.textContent = `after ${t} of ${T} frames the greedy output is “${text}”` +
      (t === T ? '.' : ` (the GRU reads left to right: these frames' outputs will not change when the rest arrives).`);
    this.streamOut.dataset.text = text;
  }

  private setFrames(n: number): void {
    this.frames = n;
    this.redraw();
  }

  private togglePlay(): void {
    if (this.playing) return this.stopPlay();
    this.frames = 0;
    this.playButton.textContent = 'Stop';
    this.playing = setInterval(() => {
      const T = this.test?.T ?? 1;
      if (this.frames >= T) return this.stopPlay();
      this.setFrames(this.frames + 1);
    }, 150);
  }

  private stopPlay(): void {
    if (this.playing) clearInterval(this.playing);
    this.playing = undefined;
    this.playButton.textContent = 'Stream';
  }

  private hover(which: 'probs' | 'lattice', cell: HeatCell | undefined): void {
    const a = this.aligner, r = this.result;
    if (!cell || !a || !r) {
      this.readout.textContent = 'Hover a cell to read its value.';
      return;
    }
    if (which === 'probs') {
      this.readout.textContent = `p(${a.alphabet[cell.unit] === '∅' ? 'blank' : `“${a.alphabet[cell.unit]}”`} at frame ${cell.step}) = ${cell.value.toFixed(4)}`;
    } else {
      const k = r.extended[cell.unit];
      this.readout.textContent = `lattice row ${cell.unit} (${k === 0 ? 'blank' : `“${a.alphabet[k]}”`}), frame ${cell.step}: ` +
        `share of p(target | x) through this cell = ${cell.value.toFixed(4)}`;
    }
  }
}

export const ctcDemo = liveDemoSpec('ctc', CtcDemo);
