// "RNN vs Attention": the path-length and parallelism argument of the Transformers card, with
// numbers measured in this page. For growing T it times (1) our GRU forward over T steps, each of
// which waits for the one before, (2) the same T cell updates with nothing to wait for (batch T,
// one step: the same arithmetic, no chain), and (3) one self-attention layer over T positions
// (engine/selfAttention.ts), whose T² scores depend on no other score. It counts the
// sequential steps and the path between the first and last position for each.
import { initParams, mulberry32 } from '../../../../engine/init';
import { selfAttention } from '../../../../engine/selfAttention';
import { button } from '../../../ui/render/toolkit';
import { el } from '../../../ui/dom';
import { demoSpec, type Demo, type LabEngine } from '../../demo';
import { medianMs } from '../../common/timing';

export const SIZES = [16, 32, 64, 128, 256, 512] as const;
const H = 64;
const REPEATS = 5;

export interface CostRow {
  T: number;
  rnnMs: number;
  unchainedMs: number;
  attentionMs: number;
}

const time = (f: () => void): number => medianMs(f, REPEATS);

export class RnnVsAttentionDemo implements Demo {
  readonly root = el('section', { id: 'attn-demo', class: 'demo', 'aria-label': 'RNN versus attention' });
  readonly id = 'rnn-vs-attention' as const;
  private rows: CostRow[] = [];
  private next = 0;
  private raf = 0;
  private backend = '';
  private readonly table = el('table', { id: 'attn-table', class: 'bi-tags attn-table' });
  private readonly summary = el('p', { id: 'attn-summary', class: 'readout', 'aria-live': 'polite' });
  private readonly status = el('p', { id: 'attn-status', class: 'note' });

  constructor(private readonly redraw: () => void) {
    const again = button('attn-measure', 'Measure again', { onClick: () => this.start() });
    this.root.append(
      el('p', { class: 'note' },
        `Hidden size ${H}, batch 1. Each time is the median of ${REPEATS} runs after a warm-up, on this page's backend.`),
      again, this.status, this.table, this.summary,
    );
  }

  show(): void {}

  hide(): void {
    this.stop();
  }

  render(): void {
    this.draw();
  }

  engineChanged(engine: LabEngine): void {
    this.setEngine(engine);
  }

  dispose(): void {
    this.stop();
  }

  /** Measures one T per animation frame, so the page stays responsive. */
  start(engine?: LabEngine): void {
    if (engine) this.engine = engine;
    this.stop();
    this.rows = [];
    this.next = 0;
    delete this.root.dataset.measured;
    const tick = () => {
      this.raf = 0;
      if (this.next >= SIZES.length) {
        this.root.dataset.measured = 'true';
        this.redraw();
        return;
      }
      this.rows.push(this.measure(SIZES[this.next++]));
      this.redraw();
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  private engine: LabEngine | undefined;

  /** A new backend (the chooser settled): the numbers are taken again on it. */
  setEngine(engine: LabEngine): void {
    if (this.engine?.label === engine.label && this.rows.length) return;
    this.start(engine);
  }

  stop(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  private measure(T: number): CostRow {
    const engine = this.engine!;
    this.backend = engine.label;
    const u = mulberry32(T);
    const x = Float32Array.from({ length: T * H }, () => 2 * u() - 1);
    const params = initParams('gru', H, H, { scheme: 'xavier', seed: 1 });
    const rnnMs = time(() => engine.forward('gru', { T, B: 1, D: H, H }, params, x));
    const unchainedMs = time(() => engine.forward('gru', { T: 1, B: T, D: H, H }, params, x));
    const w = () => Float32Array.from({ length: H * H }, () => (2 * u() - 1) / Math.sqrt(H));
    const weights = { Wq: w(), Wk: w(), Wv: w() };
    const attentionMs = time(() => selfAttention(x, T, H, weights));
    return { T, rnnMs, unchainedMs, attentionMs };
  }

  draw(): void {
    const head = el('tr');
    for (const h of ['T', 'GRU: sequential steps', 'GRU: ms', 'same T updates, no chain: ms', 'attention: sequential steps', 'attention: ms', 'attention scores (T²)', 'path first → last: GRU / attention']) {
      head.append(el('th', { scope: 'col' }, h));
    }
    const body = this.rows.map((r) => {
      const tr = el('tr', { 'data-t': String(r.T) });
      for (const v of [String(r.T), String(r.T), r.rnnMs.toFixed(2), r.unchainedMs.toFixed(2), '1', r.attentionMs.toFixed(2), (r.T * r.T).toLocaleString('en-US'), `${r.T - 1} / 1`]) {
        tr.append(el('td', {}, v));
      }
      return tr;
    });
    this.table.replaceChildren(head, ...body);
    this.status.textContent = this.root.dataset.measured ? `Measured on ${this.backend}.` : `Measuring on ${this.backend || '…'} (${this.rows.length} of ${SIZES.length})…`;
    const last = this.rows[this.rows.length - 1], first = this.rows[0];
    if (!last || !this.root.dataset.measured) {
      this.summary.textContent = '';
      return;
    }
    this.summary.textContent =
      `From T = ${first.T} to T = ${last.T} the GRU's time grew ${(last.rnnMs / first.rnnMs).toFixed(1)}× (${first.rnnMs.toFixed(2)} → ${last.rnnMs.toFixed(2)} ms), ` +
      `in ${last.T} steps that must run one after another; the same ${last.T} cell updates with no chain between them took ${last.unchainedMs.toFixed(2)} ms ` +
      `(${(last.rnnMs / last.unchainedMs).toFixed(1)}× less), which is what the recurrence forbids. ` +
      `One attention layer took ${last.attentionMs.toFixed(2)} ms at T = ${last.T}: it does more arithmetic (${(last.T * last.T).toLocaleString('en-US')} scores), ` +
      'but none of them waits on another, so parallel hardware computes them at once, and any two positions are one step apart instead of up to ' +
      `${last.T - 1}.`;
  }
}

export const rnnVsAttentionDemo = demoSpec('rnn-vs-attention', (ctx) => {
  const demo = new RnnVsAttentionDemo(() => ctx.schedule(true));
  demo.start(ctx.engine());
  return demo;
});
