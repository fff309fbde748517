// Equations in webviews: katex.render into an element only. renderToString + innerHTML loses
// KaTeX's inline styles under the CSP (no 'unsafe-inline'); render sets them through the CSSOM,
// which the CSP allows. \htmlClass is trusted so an equation's terms can be highlighted by class.
import katex from 'katex';
import { errorText } from '../text';

export function renderTex(el: HTMLElement, tex: string, displayMode = true): void {
  try {
    katex.render(tex, el, {
      displayMode,
      throwOnError: true,
      output: 'html',
      trust: (ctx) => ctx.command === '\\htmlClass',
      strict: 'ignore',
    });
  } catch (err) {
    // A formula KaTeX cannot parse shows as its source rather than breaking the panel.
    el.textContent = tex;
    el.title = errorText(err);
  }
}
