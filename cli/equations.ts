// Build step (Node only): draws each bundled card's key equation as a self-contained SVG for
// hover tips. VS Code hovers show `data:image/svg+xml` images but render no LaTeX and load no
// fonts into an image, so the SVG must be glyph paths only: MathJax 3 (`mathjax-full`) with the
// lite DOM adaptor and `fontCache: 'none'` draws exactly that. KaTeX emits HTML, not SVG.
//
// MathJax is a build-time devDependency and is loaded at run time of the build from the
// project's node_modules (not bundled into the deck compiler), so it never reaches the .vsix.
// Without it the build still succeeds: it warns once and hovers show the Unicode form.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Card, DeckDiagnostic } from '../src/deck/card';
import { EQUATION_INK, keyEquation, type BundledEquation } from '../src/hover/equation';

/** The package (and major version) the build expects: MathJax 3's Node distribution. */
export const MATHJAX_PACKAGE = 'mathjax-full';

/** Pixels per TeX ex in the image: a little above hover text (13 px font, x-height ~6.5 px). */
const EX_PX = 9;

// The few MathJax shapes this module touches (mathjax-full ships full typings, but the build
// must also type-check where the package is not installed).
interface MathDocument { convert(tex: string, options: { display: boolean }): unknown }
interface LiteAdaptor { innerHTML(node: unknown): string }
interface MathJaxModules {
  mathjax: { document(root: string, options: { InputJax: unknown; OutputJax: unknown }): MathDocument };
  TeX: new (options: Record<string, unknown>) => unknown;
  SVG: new (options: Record<string, unknown>) => unknown;
  liteAdaptor: () => LiteAdaptor;
  RegisterHTMLHandler: (adaptor: LiteAdaptor) => void;
}

export type EquationRenderer = (tex: string) => string;

/**
 * A TeX -> SVG function, or an error message when MathJax cannot be loaded.
 * `load` resolves modules (default: the project's own node_modules).
 */
export function createEquationRenderer(root: string, load: (id: string) => unknown = createRequire(join(root, 'package.json'))): EquationRenderer | string {
  let m: MathJaxModules;
  try {
    const pick = <K extends keyof MathJaxModules>(id: string, key: K): MathJaxModules[K] => (load(id) as Record<K, MathJaxModules[K]>)[key];
    m = {
      mathjax: pick('mathjax-full/js/mathjax.js', 'mathjax'),
      TeX: pick('mathjax-full/js/input/tex.js', 'TeX'),
      SVG: pick('mathjax-full/js/output/svg.js', 'SVG'),
      liteAdaptor: pick('mathjax-full/js/adaptors/liteAdaptor.js', 'liteAdaptor'),
      RegisterHTMLHandler: pick('mathjax-full/js/handlers/html.js', 'RegisterHTMLHandler'),
    };
    load('mathjax-full/js/input/tex/AllPackages.js'); // registers the TeX packages named below
  } catch (err) {
    return `${MATHJAX_PACKAGE} is not installed (${errorMessage(err).split('\n')[0]}); hover equations fall back to Unicode text`;
  }
  const adaptor = m.liteAdaptor();
  m.RegisterHTMLHandler(adaptor);
  const doc = m.mathjax.document('', {
    // No `noundefined`: an unknown macro must fail (and fall back), not be drawn in red as raw TeX.
    InputJax: new m.TeX({ packages: ['base', 'ams', 'boldsymbol', 'newcommand'], formatError: (_jax: unknown, err: unknown) => { throw err; } }),
    OutputJax: new m.SVG({ fontCache: 'none' }),
  });
  return (tex: string) => finishSvg(adaptor.innerHTML(doc.convert(tex, { display: true })));
}

/**
 * MathJax's SVG made fit for an <img>: sized in px (an image has no surrounding font for `ex`),
 * drawn in the placeholder ink the hover swaps per theme, without MathJax's bookkeeping
 * attributes. Throws if MathJax drew an error box.
 */
export function finishSvg(svg: string): string {
  if (/data-mjx-error|<text\b/.test(svg)) throw new Error('MathJax could not draw every symbol as paths');
  const px = (attr: string) => (_match: string, ex: string) => `${attr}="${(Number(ex) * EX_PX).toFixed(1)}"`;
  return svg
    .replace(/ style="[^"]*"/g, '')
    .replace(/ (?:data-[a-z-]+|role|focusable|aria-hidden)="[^"]*"/g, '')
    .replace(/width="([\d.]+)ex"/, px('width'))
    .replace(/height="([\d.]+)ex"/, px('height'))
    .replace(/currentColor/g, EQUATION_INK);
}

/**
 * Key equations of the bundled cards, drawn once per build. A card whose equation MathJax
 * cannot draw keeps its TeX (the hover shows Unicode) and gets a warning at its question line.
 */
export function renderDeckEquations(
  cards: readonly Card[],
  root: string,
  renderer: EquationRenderer | string = createEquationRenderer(root),
): { equations: Record<string, BundledEquation>; diagnostics: DeckDiagnostic[] } {
  const equations: Record<string, BundledEquation> = {};
  const diagnostics: DeckDiagnostic[] = [];
  for (const card of cards) {
    const tex = keyEquation(card);
    if (!tex) continue;
    if (typeof renderer === 'string') {
      equations[card.id] = { tex };
      continue;
    }
    try {
      equations[card.id] = { tex, svg: renderer(tex) };
    } catch (err) {
      equations[card.id] = { tex };
      diagnostics.push({
        file: card.file, line: card.line, column: 1, severity: 'warning',
        message: `key equation cannot be drawn for the hover (${errorMessage(err)}); it is shown as text`,
      });
    }
  }
  if (typeof renderer === 'string' && Object.keys(equations).length > 0) {
    diagnostics.push({ file: 'package.json', line: 1, column: 1, severity: 'warning', message: renderer });
  }
  return { equations, diagnostics };
}

/** MathJax throws TexError objects that are not `Error` instances but carry a message. */
function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') return err.message;
  return String(err);
}
