// The theme's colours as a canvas needs them, read from the --vscode-* variables at draw time.
// A series colour is drawn opaque: some themes give a charts colour an alpha channel (Dark
// Modern's charts.orange is a translucent minimap colour), which a thin line on a dark or light
// background turns into brown or peach.

/** The variable's value, or `fallback` when the theme has none. */
export function cssVar(css: CSSStyleDeclaration, name: string, fallback: string): string {
  return css.getPropertyValue(name).trim() || fallback;
}

/** The variable's colour without its alpha channel (#rgba, #rrggbbaa, rgba()). */
export function seriesColour(css: CSSStyleDeclaration, name: string, fallback: string): string {
  return opaque(cssVar(css, name, fallback));
}

export function opaque(colour: string): string {
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(colour);
  if (hex) {
    const h = hex[1];
    return h.length === 4 ? `#${h.slice(0, 3)}` : h.length === 8 ? `#${h.slice(0, 6)}` : colour;
  }
  const rgba = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*[\d.%]+)?\s*\)$/i.exec(colour);
  return rgba ? `rgb(${rgba[1]}, ${rgba[2]}, ${rgba[3]})` : colour;
}

/** A colour of the theme: its --vscode-* variable, and the colour drawn where the theme has none. */
export interface ThemeColour {
  readonly colorVar: string;
  readonly fallback: string;
}

/** Every colour the views draw on a canvas or chart, as a theme token. */
export const COLOURS = {
  red: { colorVar: '--vscode-charts-red', fallback: '#e51400' },
  orange: { colorVar: '--vscode-charts-orange', fallback: '#d18616' },
  blue: { colorVar: '--vscode-charts-blue', fallback: '#1a85ff' },
  green: { colorVar: '--vscode-charts-green', fallback: '#388a34' },
  /** Reference lines (chance, σ = 1). */
  muted: { colorVar: '--vscode-descriptionForeground', fallback: '#888' },
  /** Axes and labels. */
  foreground: { colorVar: '--vscode-foreground', fallback: '#888' },
  /** The heatmaps' cursor. */
  editorForeground: { colorVar: '--vscode-editor-foreground', fallback: '#888' },
  focus: { colorVar: '--vscode-focusBorder', fallback: '#0090f1' },
  /** The CTC lattice's best path. */
  error: { colorVar: '--vscode-editorError-foreground', fallback: '#f14c4c' },
  /** Grid lines: fainter behind a chart's curves than on the eigenvalue plane. */
  chartGrid: { colorVar: '--vscode-charts-lines', fallback: 'rgba(128,128,128,0.25)' },
  planeGrid: { colorVar: '--vscode-charts-lines', fallback: 'rgba(128,128,128,0.35)' },
} as const satisfies Record<string, ThemeColour>;

/** The token's colour in the current theme. */
export function themeColour(css: CSSStyleDeclaration, colour: ThemeColour): string {
  return cssVar(css, colour.colorVar, colour.fallback);
}
