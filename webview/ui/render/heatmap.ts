// A time × unit heatmap on a canvas: one ImageData pixel per cell, scaled up without smoothing,
// with the selected step (column) and unit (row) outlined. Values are read from a (T, H) array
// (batch 1), cell (t, j) at index t·H + j, as the kernels lay states out.
import { fitCanvas } from './canvas';
import { colorFor, type ColorScale } from './colormap';
import { COLOURS, themeColour } from './theme';

export interface HeatCell {
  step: number;
  unit: number;
  value: number;
}

export class Heatmap {
  private values: ArrayLike<number> = new Float32Array(0);
  private T = 0;
  private H = 0;
  private step = -1;
  private unit = -1;
  private hover: { step: number; unit: number } | undefined;
  private readonly image = document.createElement('canvas');

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly handlers: { onHover?: (cell: HeatCell | undefined) => void; onClick?: (cell: HeatCell) => void } = {},
  ) {
    canvas.addEventListener('mousemove', (e) => this.pointer(e, false));
    canvas.addEventListener('click', (e) => this.pointer(e, true));
    canvas.addEventListener('mouseleave', () => {
      this.hover = undefined;
      this.draw();
      this.handlers.onHover?.(undefined);
    });
  }

  setData(values: ArrayLike<number>, T: number, H: number, scale: ColorScale): void {
    this.values = values;
    this.T = T;
    this.H = H;
    // The small image holds one pixel per cell: x = step, y = unit.
    this.image.width = Math.max(1, T);
    this.image.height = Math.max(1, H);
    const ctx = this.image.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(this.image.width, this.image.height);
    const px = img.data;
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < H; j++) {
        const [r, g, b] = colorFor(scale, values[t * H + j]);
        const o = (j * T + t) * 4;
        px[o] = r;
        px[o + 1] = g;
        px[o + 2] = b;
        px[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
  }

  setCursor(step: number, unit: number): void {
    this.step = step;
    this.unit = unit;
  }

  /** The value shown at (step, unit). */
  valueAt(step: number, unit: number): number {
    return this.values[step * this.H + unit];
  }

  draw(): void {
    const c = this.canvas;
    const { w, h, dpr } = fitCanvas(c);
    const ctx = c.getContext('2d');
    if (!ctx || this.T === 0 || this.H === 0) return;
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(this.image, 0, 0, w, h);
    const cw = w / this.T;
    const ch = h / this.H;
    const css = getComputedStyle(document.body);
    const focus = themeColour(css, COLOURS.focus);
    const ink = themeColour(css, COLOURS.editorForeground);
    ctx.lineWidth = Math.max(1, dpr);
    if (this.step >= 0 && this.step < this.T) {
      ctx.strokeStyle = ink;
      ctx.strokeRect(this.step * cw + 0.5, 0.5, cw - 1, h - 1);
    }
    if (this.unit >= 0 && this.unit < this.H) {
      ctx.strokeStyle = ink;
      ctx.setLineDash([3 * dpr, 3 * dpr]);
      ctx.strokeRect(0.5, this.unit * ch + 0.5, w - 1, ch - 1);
      ctx.setLineDash([]);
    }
    if (this.hover) {
      ctx.strokeStyle = focus;
      ctx.lineWidth = 2 * dpr;
      ctx.strokeRect(this.hover.step * cw + dpr, this.hover.unit * ch + dpr, cw - 2 * dpr, ch - 2 * dpr);
    }
  }

  private pointer(e: MouseEvent, click: boolean): void {
    if (this.T === 0 || this.H === 0) return;
    const rect = this.canvas.getBoundingClientRect();
    const step = Math.min(this.T - 1, Math.max(0, Math.floor(((e.clientX - rect.left) / rect.width) * this.T)));
    const unit = Math.min(this.H - 1, Math.max(0, Math.floor(((e.clientY - rect.top) / rect.height) * this.H)));
    const cell = { step, unit, value: this.valueAt(step, unit) };
    if (click) {
      this.handlers.onClick?.(cell);
      return;
    }
    if (this.hover?.step !== step || this.hover?.unit !== unit) {
      this.hover = { step, unit };
      this.draw();
      this.handlers.onHover?.(cell);
    }
  }
}
