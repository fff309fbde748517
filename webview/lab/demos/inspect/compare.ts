// The inspector's "Compare with…": what changed from the open checkpoint (A) to another (B). A
// heatmap of the relative change ‖B−A‖/‖A‖, layers down and gates (PyTorch's letters) across, for
// the matrix chosen (W_hh by default), beside a table of each layer's largest spectral radius and
// forget/update bias before and after. The numbers are also a table (the heatmap's text
// alternative), and the heatmap's cells are announced in its label.
import type { CheckpointDiff, GateChange } from '../../../../engine/summaries/diff';
import type { LabHostMessage } from '../../../../protocol';
import { sig } from '../../../../engine/summaries/bptt';
import { fitCanvas } from '../../../ui/render/canvas';
import { sequential } from '../../../ui/render/colormap';
import { COLOURS, themeColour } from '../../../ui/render/theme';
import { button, choiceDropdown, type ValueElement } from '../../../ui/render/toolkit';
import { el, labelled } from '../../../ui/dom';

type DiffMessage = Extract<LabHostMessage, { type: 'checkpointDiff' }>;

const MATRICES = { W_hh: 'W_hh (recurrent)', W_ih: 'W_ih (input)', b_ih: 'b_ih', b_hh: 'b_hh' } as const;
type Matrix = keyof typeof MATRICES;

const INVITE = 'Compare this checkpoint with another (a later epoch, a fine-tune): per layer and gate, how much each matrix moved.';

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(v < 0.01 ? 2 : 1)}%`);
const num = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : sig(v));

export class CompareSection {
  readonly root = el('section', { id: 'inspect-compare', 'aria-label': 'Compared with another checkpoint' });
  private readonly status = el('p', { id: 'inspect-compare-status', class: 'note', 'aria-live': 'polite' }, INVITE);
  private readonly canvas = el('canvas', { id: 'inspect-compare-heatmap', class: 'plot compare-heatmap', role: 'img' });
  private readonly scale = el('p', { id: 'inspect-compare-scale', class: 'note' });
  private readonly changeTable = el('table', { id: 'inspect-compare-table', class: 'numbers-table' });
  private readonly layerTable = el('table', { id: 'inspect-compare-layers', class: 'numbers-table' });
  private readonly body = el('div', { class: 'compare-body' });
  private readonly matrixPick: ValueElement;
  private matrix: Matrix = 'W_hh';
  private diff: DiffMessage | undefined;

  constructor(ask: () => void) {
    const compare = button('inspect-compare-button', 'Compare with…', { appearance: 'secondary', ariaLabel: 'Compare with…: another checkpoint of this model (a later epoch, a fine-tune)', onClick: ask });
    this.matrixPick = choiceDropdown('inspect-compare-matrix', 'Matrix shown in the heatmap', MATRICES, this.matrix, (m) => {
      this.matrix = m;
      this.fill();
      this.draw();
    });
    const figure = el('div', { class: 'compare-figure' });
    figure.append(labelled('inspect-compare-matrix', 'Matrix', this.matrixPick), this.canvas, this.scale);
    const side = el('div', { class: 'compare-side' });
    side.append(el('h4', {}, 'Spectral radius and memory, before → after'), this.layerTable);
    this.body.append(figure, side, el('h4', {}, 'Relative change of every gate and matrix'), this.changeTable);
    this.body.hidden = true;
    this.root.append(el('h3', {}, 'Compare with another checkpoint'), compare, this.status, this.body);
  }

  set(msg: DiffMessage): void {
    this.diff = msg;
    const { diff } = msg;
    const only = [...diff.onlyInA.map((l) => `${l} is only in this checkpoint`), ...diff.onlyInB.map((l) => `${l} is only in ${msg.name}`)];
    this.status.classList.remove('warning');
    this.status.textContent = `Compared with ${msg.name}: ${diff.layers.length} layer${diff.layers.length === 1 ? '' : 's'} matched by name, layer and direction.` +
      (only.length ? ` ${only.slice(0, 4).join('; ')}${only.length > 4 ? `; and ${only.length - 4} more` : ''}.` : '');
    this.body.hidden = diff.layers.length === 0;
    this.fill();
    this.draw();
  }

  /** Another checkpoint is open: a comparison of the last one no longer applies. */
  clear(): void {
    this.diff = undefined;
    this.body.hidden = true;
    this.status.classList.remove('warning');
    this.status.textContent = INVITE;
  }

  error(text: string): void {
    this.status.textContent = text;
    this.status.classList.add('warning');
  }

  /** The gate letters across the heatmap: every letter any compared layer has, in first-seen order. */
  private letters(d: CheckpointDiff): string[] {
    const out: string[] = [];
    for (const l of d.layers) for (const g of l.gates) if (g.gate !== 'all' && !out.includes(g.gate)) out.push(g.gate);
    return out;
  }

  private cell(d: CheckpointDiff, layer: number, letter: string): GateChange | undefined {
    return d.layers[layer].gates.find((g) => g.gate === letter && g.matrix === this.matrix);
  }

  private fill(): void {
    const d = this.diff?.diff;
    if (!d) return;
    const letters = this.letters(d);
    const head = el('tr');
    head.append(el('th', { scope: 'col' }, 'layer'), ...['W_ih', 'W_hh', 'b_ih', 'b_hh'].flatMap((m) => letters.map((g) => el('th', { scope: 'col' }, `${g} ${m}`))));
    const rows = d.layers.map((l) => {
      const tr = el('tr', { 'data-layer': l.label });
      tr.append(el('th', { scope: 'row' }, l.label));
      if (l.mismatch) {
        tr.append(el('td', { colspan: String(4 * letters.length) }, `not compared: ${l.mismatch}`));
        return tr;
      }
      for (const m of ['W_ih', 'W_hh', 'b_ih', 'b_hh']) {
        for (const g of letters) tr.append(el('td', {}, pct(l.gates.find((c) => c.gate === g && c.matrix === m)?.relChange)));
      }
      return tr;
    });
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    tbody.append(...rows);
    this.changeTable.replaceChildren(thead, tbody);

    const lh = el('tr');
    for (const h of ['layer', 'spectral radius before', 'after', 'mean forget/update bias before', 'after', 'W_hr']) lh.append(el('th', { scope: 'col' }, h));
    const lb = el('tbody');
    for (const l of d.layers) {
      const tr = el('tr');
      const hr = l.gates.find((g) => g.matrix === 'W_hr');
      tr.append(
        el('th', { scope: 'row' }, l.label),
        el('td', {}, num(l.spectralRadius.before)), el('td', {}, num(l.spectralRadius.after)),
        el('td', {}, l.forgetBias ? `${l.forgetBias.gate} ${num(l.forgetBias.before)}` : '—'), el('td', {}, l.forgetBias ? num(l.forgetBias.after) : '—'),
        el('td', {}, hr ? pct(hr.relChange) : '—'),
      );
      lb.append(tr);
    }
    const lhead = el('thead');
    lhead.append(lh);
    this.layerTable.replaceChildren(lhead, lb);
  }

  /** The heatmap: colour = relative change / the largest shown (viridis); a missing gate is left empty. */
  draw(): void {
    const d = this.diff?.diff;
    if (!d || this.body.hidden) return;
    const letters = this.letters(d);
    const L = d.layers.length;
    this.canvas.style.height = `${Math.min(480, 28 + 22 * L)}px`;
    const { w, h, dpr } = fitCanvas(this.canvas);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const css = getComputedStyle(this.canvas);
    ctx.clearRect(0, 0, w, h);
    let peak = 0;
    for (let r = 0; r < L; r++) for (const g of letters) peak = Math.max(peak, this.cell(d, r, g)?.relChange ?? 0);
    const left = Math.min(w * 0.45, 170 * dpr);
    const top = 20 * dpr;
    const cw = (w - left - 4 * dpr) / Math.max(1, letters.length);
    const ch = (h - top - 2 * dpr) / Math.max(1, L);
    ctx.font = `${11 * dpr}px ${css.fontFamily || 'sans-serif'}`;
    ctx.fillStyle = themeColour(css, COLOURS.foreground);
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'center';
    letters.forEach((g, c) => ctx.fillText(g, left + (c + 0.5) * cw, top / 2));
    const described: string[] = [];
    for (let r = 0; r < L; r++) {
      ctx.textAlign = 'right';
      ctx.fillStyle = themeColour(css, COLOURS.foreground);
      ctx.fillText(d.layers[r].label.length > 28 ? `${d.layers[r].label.slice(0, 27)}…` : d.layers[r].label, left - 6 * dpr, top + (r + 0.5) * ch, left - 8 * dpr);
      letters.forEach((g, c) => {
        const v = this.cell(d, r, g)?.relChange;
        if (v === undefined) return;
        const [R, G, B] = sequential(v === null ? 1 : peak > 0 ? v / peak : 0);
        ctx.fillStyle = `rgb(${R},${G},${B})`;
        ctx.fillRect(left + c * cw + dpr, top + r * ch + dpr, cw - 2 * dpr, ch - 2 * dpr);
      });
      const worst = letters.map((g) => [g, this.cell(d, r, g)?.relChange] as const).filter(([, v]) => v !== undefined)
        .sort((a, b) => (b[1] ?? Infinity) - (a[1] ?? Infinity))[0];
      if (worst) described.push(`${d.layers[r].label}: most in ${worst[0]} (${pct(worst[1])})`);
    }
    this.scale.textContent = `Colour: ${this.matrix}'s relative change ‖B−A‖/‖A‖, from 0 (dark) to ${pct(peak)} (yellow), the largest shown.`;
    this.canvas.setAttribute('aria-label', `Heatmap of ${this.matrix}'s relative change per layer and gate. ${described.slice(0, 12).join('; ')}. The table below lists every number.`);
  }

  get canvases(): HTMLCanvasElement[] {
    return this.body.hidden ? [] : [this.canvas];
  }
}
