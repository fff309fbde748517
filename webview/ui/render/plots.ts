// Small canvas plots for the checkpoint inspector, in the theme's colours (read at each draw):
// eigenvalues on the complex plane with the unit circle, singular values largest first, and a
// histogram. Each draws one or more series (the checkpoint's, a fresh initialisation's).
import { fitCanvas } from './canvas';
import { COLOURS, cssVar, seriesColour, themeColour } from './theme';

export interface PlotSeries {
  label: string;
  /** A CSS variable such as --vscode-charts-blue, and the colour when the theme has none. */
  colorVar: string;
  fallback: string;
  /** Hollow markers / dashed lines (the comparison series). */
  hollow?: boolean;
}

interface Frame {
  ctx: CanvasRenderingContext2D;
  w: number;
  h: number;
  dpr: number;
  ink: string;
  grid: string;
  font: string;
  color(s: PlotSeries): string;
}

function frame(canvas: HTMLCanvasElement): Frame | undefined {
  const { w, h, dpr } = fitCanvas(canvas);
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  ctx.clearRect(0, 0, w, h);
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => cssVar(css, name, fallback);
  return {
    ctx, w, h, dpr,
    ink: themeColour(css, COLOURS.foreground),
    grid: themeColour(css, COLOURS.planeGrid),
    font: `${Math.round(10 * dpr)}px ${v('--vscode-font-family', 'sans-serif')}`,
    color: (s) => seriesColour(css, s.colorVar, s.fallback),
  };
}

function marker(f: Frame, x: number, y: number, color: string, hollow: boolean): void {
  const { ctx, dpr } = f;
  ctx.beginPath();
  ctx.arc(x, y, 2.5 * dpr, 0, 2 * Math.PI);
  if (hollow) {
    ctx.strokeStyle = color;
    ctx.lineWidth = dpr;
    ctx.stroke();
  } else {
    ctx.fillStyle = color;
    ctx.fill();
  }
}

function label(f: Frame, text: string, x: number, y: number, align: CanvasTextAlign = 'left'): void {
  f.ctx.fillStyle = f.ink;
  f.ctx.font = f.font;
  f.ctx.textAlign = align;
  f.ctx.fillText(text, x, y);
}

/** Eigenvalues (re, im) of each series on the complex plane; the unit circle dashed. */
export function drawEigenPlane(canvas: HTMLCanvasElement, data: { series: PlotSeries; re: ArrayLike<number>; im: ArrayLike<number> }[]): void {
  const f = frame(canvas);
  if (!f) return;
  const { ctx, w, h, dpr } = f;
  let extent = 1.1;
  for (const d of data) for (let i = 0; i < d.re.length; i++) extent = Math.max(extent, 1.08 * Math.hypot(d.re[i], d.im[i]));
  const pad = 14 * dpr;
  const r = (Math.min(w, h) - 2 * pad) / 2;
  const cx = w / 2;
  const cy = h / 2;
  const s = r / extent;
  ctx.strokeStyle = f.grid;
  ctx.lineWidth = dpr;
  ctx.beginPath();
  ctx.moveTo(cx - r, cy);
  ctx.lineTo(cx + r, cy);
  ctx.moveTo(cx, cy - r);
  ctx.lineTo(cx, cy + r);
  ctx.stroke();
  ctx.strokeStyle = f.ink;
  ctx.setLineDash([4 * dpr, 3 * dpr]);
  ctx.beginPath();
  ctx.arc(cx, cy, s, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.setLineDash([]);
  label(f, 'Re', cx + r, cy - 3 * dpr, 'right');
  label(f, 'Im', cx + 3 * dpr, cy - r + 10 * dpr);
  label(f, '1', cx + s + 2 * dpr, cy + 11 * dpr);
  // Filled markers first, hollow ones over them: both series stay visible where they overlap.
  for (const d of [...data].sort((a, b) => Number(!!a.series.hollow) - Number(!!b.series.hollow))) {
    const color = f.color(d.series);
    for (let i = 0; i < d.re.length; i++) marker(f, cx + d.re[i] * s, cy - d.im[i] * s, color, !!d.series.hollow);
  }
}

/** Singular values, largest first, against their index; a dashed line at 1. */
export function drawSingularValues(canvas: HTMLCanvasElement, data: { series: PlotSeries; values: ArrayLike<number> }[]): void {
  const f = frame(canvas);
  if (!f) return;
  const { ctx, w, h, dpr } = f;
  let max = 1.1;
  let n = 1;
  for (const d of data) {
    n = Math.max(n, d.values.length);
    for (let i = 0; i < d.values.length; i++) max = Math.max(max, 1.05 * d.values[i]);
  }
  const left = 26 * dpr;
  const bottom = h - 14 * dpr;
  const top = 8 * dpr;
  const right = w - 6 * dpr;
  const x = (i: number) => left + ((right - left) * (n === 1 ? 0.5 : i / (n - 1)));
  const y = (v: number) => bottom - ((bottom - top) * v) / max;
  ctx.strokeStyle = f.grid;
  ctx.lineWidth = dpr;
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left, bottom);
  ctx.lineTo(right, bottom);
  ctx.stroke();
  ctx.strokeStyle = f.ink;
  ctx.setLineDash([4 * dpr, 3 * dpr]);
  ctx.beginPath();
  ctx.moveTo(left, y(1));
  ctx.lineTo(right, y(1));
  ctx.stroke();
  ctx.setLineDash([]);
  label(f, '1', left - 4 * dpr, y(1) + 4 * dpr, 'right');
  label(f, max.toPrecision(2), left - 4 * dpr, top + 8 * dpr, 'right');
  label(f, `k = 1…${n}`, right, h - 2 * dpr, 'right');
  for (const d of [...data].reverse()) {
    const color = f.color(d.series);
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5 * dpr;
    if (d.series.hollow) ctx.setLineDash([4 * dpr, 3 * dpr]);
    ctx.beginPath();
    for (let i = 0; i < d.values.length; i++) {
      if (i === 0) ctx.moveTo(x(i), y(d.values[i]));
      else ctx.lineTo(x(i), y(d.values[i]));
    }
    ctx.stroke();
    ctx.setLineDash([]);
    if (d.values.length <= 64) for (let i = 0; i < d.values.length; i++) marker(f, x(i), y(d.values[i]), color, !!d.series.hollow);
  }
}

/** Histograms over a shared range [min, max] (bars side by side per bin); a marker at `mark` (e.g. 0). */
export function drawHistogram(
  canvas: HTMLCanvasElement, min: number, max: number,
  data: { series: PlotSeries; counts: number[] }[], mark?: number,
): void {
  const f = frame(canvas);
  if (!f) return;
  const { ctx, w, h, dpr } = f;
  const left = 8 * dpr;
  const right = w - 8 * dpr;
  const top = 8 * dpr;
  const bottom = h - 16 * dpr;
  const bins = data[0]?.counts.length ?? 0;
  let peak = 1;
  for (const d of data) for (const c of d.counts) peak = Math.max(peak, c);
  const span = max > min ? max - min : 1;
  const xOf = (v: number) => left + ((right - left) * (v - min)) / span;
  const bw = (right - left) / Math.max(1, bins);
  ctx.strokeStyle = f.grid;
  ctx.lineWidth = dpr;
  ctx.beginPath();
  ctx.moveTo(left, bottom);
  ctx.lineTo(right, bottom);
  ctx.stroke();
  data.forEach((d, k) => {
    const color = f.color(d.series);
    const sub = bw / data.length;
    for (let i = 0; i < d.counts.length; i++) {
      const bh = ((bottom - top) * d.counts[i]) / peak;
      const x0 = left + i * bw + k * sub;
      if (d.series.hollow) {
        ctx.strokeStyle = color;
        ctx.strokeRect(x0 + 0.5 * dpr, bottom - bh, Math.max(dpr, sub - dpr), bh);
      } else {
        ctx.fillStyle = color;
        ctx.fillRect(x0, bottom - bh, Math.max(dpr, sub - dpr), bh);
      }
    }
  });
  if (mark !== undefined && mark >= min && mark <= max) {
    ctx.strokeStyle = f.ink;
    ctx.setLineDash([3 * dpr, 3 * dpr]);
    ctx.beginPath();
    ctx.moveTo(xOf(mark), top);
    ctx.lineTo(xOf(mark), bottom);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  label(f, min.toPrecision(3), left, h - 3 * dpr);
  label(f, max.toPrecision(3), right, h - 3 * dpr, 'right');
}
