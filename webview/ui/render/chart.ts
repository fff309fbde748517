// Line charts (uPlot). Colours come from the theme's --vscode-charts-* variables, read when the
// chart is built; the lab rebuilds its charts when the theme changes (body class).
import uPlot from 'uplot';
import { COLOURS, cssVar, seriesColour, themeColour } from './theme';

export interface SeriesSpec {
  label: string;
  /** A CSS variable such as --vscode-charts-blue, with a fallback colour. */
  colorVar: string;
  fallback: string;
  dash?: number[];
  width?: number;
}

export interface ChartSpec {
  xLabel: string;
  yLabel: string;
  log: boolean;
  series: SeriesSpec[];
  height?: number;
}

export class LineChart {
  private plot: uPlot | undefined;
  private data: uPlot.AlignedData = [[]];

  constructor(private readonly host: HTMLElement, private readonly spec: ChartSpec) {
    this.build();
  }

  /** Rebuilds with the current theme's colours, keeping the data. */
  build(): void {
    this.plot?.destroy();
    const css = getComputedStyle(document.body);
    const v = (name: string, fallback: string) => cssVar(css, name, fallback);
    const fg = themeColour(css, COLOURS.foreground);
    const grid = themeColour(css, COLOURS.chartGrid);
    const font = `11px ${v('--vscode-font-family', 'sans-serif')}`;
    const axis = (label: string): uPlot.Axis => ({
      label, stroke: fg, font, labelFont: font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 },
    });
    const logAxis: Partial<uPlot.Axis> = this.spec.log
      ? { incrs: [1, 2, 5, 10, 20, 50], values: (_u, splits) => splits.map((e) => (Number.isInteger(e) ? `1e${e}` : '')) }
      : {};
    const opts: uPlot.Options = {
      width: Math.max(200, this.host.clientWidth || 400),
      height: this.spec.height ?? 260,
      // A log axis is drawn as log10 of the values on a linear scale with whole-decade ticks:
      // uPlot's own log axis loops forever on ranges far below 1e-6 (its tick rounding goes to
      // 0), and vanishing gradients reach 1e-30.
      scales: { x: { time: false }, y: this.spec.log ? { range: (_u, min, max) => decadeRange(min, max) } : {} },
      axes: [axis(this.spec.xLabel), { ...axis(this.spec.yLabel), ...logAxis, size: 60 }],
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: this.spec.xLabel },
        ...this.spec.series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: seriesColour(css, s.colorVar, s.fallback),
          width: s.width ?? 2,
          dash: s.dash,
          spanGaps: false,
          points: { show: false },
          // The legend prints the value itself, not its log10.
          value: (_u, v) => (v === null || v === undefined ? '—' : this.spec.log ? formatValue(10 ** v) : formatValue(v)),
        })),
      ],
    };
    this.plot = new uPlot(opts, this.data, this.host);
  }

  /** x values and one array per series (null = no point, e.g. a zero on a log axis). */
  setData(x: number[], ys: (number | null)[][]): void {
    const y = this.spec.log ? ys.map((s) => s.map((v) => (v !== null && v > 0 && Number.isFinite(v) ? Math.log10(v) : null))) : ys;
    this.data = [x, ...y] as uPlot.AlignedData;
    this.plot?.setData(this.data);
  }

  resize(): void {
    const w = this.host.clientWidth;
    if (this.plot && w > 0 && Math.abs(this.plot.width - w) > 2) this.plot.setSize({ width: w, height: this.spec.height ?? 260 });
  }

  /** The plot's canvas (tests and the e2e check that it is drawn). */
  get canvas(): HTMLCanvasElement | undefined {
    return this.host.querySelector('canvas') ?? undefined;
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }
}

/** Whole decades (in log10 units) around [min, max], at least one decade wide; [-1, 1] when empty. */
export function decadeRange(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [-1, 1];
  let lo = Math.floor(min);
  let hi = Math.ceil(max);
  if (hi <= lo) {
    lo -= 1;
    hi += 1;
  }
  return [lo, hi];
}

function formatValue(v: number): string {
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4)) return v.toExponential(2);
  return v.toPrecision(3);
}
