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
