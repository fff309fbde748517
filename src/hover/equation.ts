// A card's key equation, and the two ways a hover shows it: an SVG image (drawn at build time
// for the bundled deck, recoloured here for the theme) or, for cards without one (user decks),
// a readable Unicode rendering of the TeX. Hovers never show raw LaTeX.
// Pure: no vscode, so the build step (build/) and unit tests use it too.
import type { Card } from '../deck/card';
import { MAX_FORMULA_CHARS, MAX_FORMULAS } from '../deck/limits';

/** What the build stores per card in the bundled deck (`equations[cardId]`). */
export interface BundledEquation {
  tex: string;
  /** Self-contained SVG (paths only, no fonts) whose ink is EQUATION_INK; absent if it failed to render. */
  svg?: string;
}

/** The colour the build draws equations in; the hover swaps it for the theme's foreground. */
export const EQUATION_INK = '#0a0b0c';

/** Mirrors vscode.ColorThemeKind (Light 1, Dark 2, HighContrast 3, HighContrastLight 4). */
export type ThemeKind = 1 | 2 | 3 | 4;

/** Default editor foregrounds of VS Code's built-in themes: legible on each hover background. */
const INK_FOR_THEME: Record<ThemeKind, string> = {
  1: '#1f1f1f',
  2: '#cccccc',
  3: '#ffffff',
  4: '#000000',
};

export function inkFor(kind: ThemeKind): string {
  return INK_FOR_THEME[kind] ?? INK_FOR_THEME[2];
}

/** The build-time SVG drawn in the theme's ink, as a data: URI for a Markdown image. */
export function equationDataUri(svg: string, kind: ThemeKind): string {
  const themed = svg.split(EQUATION_INK).join(inkFor(kind));
  return `data:image/svg+xml;base64,${base64Utf8(themed)}`;
}

function base64Utf8(s: string): string {
  const bytes = new TextEncoder().encode(s);
  // btoa is in both hosts (Node >= 16 and the web worker host); it wants a binary string.
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

// ---------------------------------------------------------------------------------------------
// Choosing the key equation

/** Inline math that states something: an equation, an approximation, a bound. */
const RELATION = /=|\\approx|\\propto|\\(?:sim|leq?|geq?|to|rightarrow)(?![A-Za-z])/;
/** Without a relation, inline math is still a formula worth drawing when it sums, multiplies or differentiates. */
const BIG_OPERATOR = /\\(?:sum|prod|int|frac|partial|nabla)(?![A-Za-z])/;
/** Shorter inline math is a symbol (`$c_t$`, `$k$`), not an equation worth a picture. */
const MIN_INLINE_EQUATION = 12;

/**
 * Display math `$$..$$` and inline math `$..$` in Markdown source, in order: the first `limit`
 * (a card that loads holds at most MAX_FORMULAS formulas; the bound keeps a hover's work small
 * on any text).
 */
export function mathSpans(markdown: string, limit = MAX_FORMULAS): { tex: string; display: boolean }[] {
  const out: { tex: string; display: boolean }[] = [];
  const re = /\$\$([\s\S]+?)\$\$|(?<![\\$])\$(?!\s)((?:\\.|[^$\\\n])+?)(?<!\s)\$(?!\d)/g;
  for (let m = re.exec(markdown); m && out.length < limit; m = re.exec(markdown)) {
    if (m[1] !== undefined) out.push({ tex: m[1].trim(), display: true });
    else out.push({ tex: m[2].trim(), display: false });
  }
  return out;
}

/**
 * The card's key equation: front matter `equation:` when the card has one, else its first
 * display math, else its longest inline math that states a relation (else its longest inline
 * formula with a sum, product, fraction or derivative). Undefined when the card has no
 * equation worth drawing (`$[x_t, h_{t-1}]$` is notation, not an equation).
 */
export function keyEquation(card: Card): string | undefined {
  const explicit: unknown = (card as Card & { equation?: unknown }).equation;
  if (typeof explicit === 'string' && explicit.trim()) return explicit.trim().replace(/^\$+|\$+$/g, '').trim();
  // A span longer than a formula may be (dollars that are not math) is not an equation.
  const spans = mathSpans(card.answer).filter((s) => s.tex.length <= MAX_FORMULA_CHARS);
  const display = spans.find((s) => s.display);
  if (display) return display.tex;
  const inline = spans.filter((s) => s.tex.replace(/\s+/g, '').length >= MIN_INLINE_EQUATION);
  const pick = (list: typeof inline) => list.reduce<(typeof inline)[number] | undefined>((best, s) => (!best || s.tex.length > best.tex.length ? s : best), undefined);
  return (pick(inline.filter((s) => RELATION.test(s.tex))) ?? pick(inline.filter((s) => BIG_OPERATOR.test(s.tex))))?.tex;
}

// ---------------------------------------------------------------------------------------------
// TeX -> readable Unicode

const SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'ϕ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ',
  Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  infty: '∞', partial: '∂', nabla: '∇', sum: '∑', prod: '∏', int: '∫', forall: '∀', exists: '∃',
  emptyset: '∅', ell: 'ℓ', hbar: 'ℏ', top: '⊤', perp: '⊥', prime: '′', ldots: '…', cdots: '⋯',
  dots: '…', vdots: '⋮', lVert: '‖', rVert: '‖', Vert: '‖', vert: '|', lvert: '|', rvert: '|',
  langle: '⟨', rangle: '⟩', lfloor: '⌊', rfloor: '⌋', lceil: '⌈', rceil: '⌉', sqrt: '√',
  lbrace: '{', rbrace: '}', backslash: '∖',
};

/** Binary operators and relations: printed with a space either side. */
const OPERATORS: Record<string, string> = {
  odot: '⊙', otimes: '⊗', oplus: '⊕', cdot: '·', times: '×', div: '÷', pm: '±', mp: '∓', circ: '∘',
  ast: '∗', star: '⋆', approx: '≈', sim: '∼', simeq: '≃', equiv: '≡', neq: '≠', ne: '≠', le: '≤',
  leq: '≤', ge: '≥', geq: '≥', ll: '≪', gg: '≫', propto: '∝', to: '→', rightarrow: '→',
  leftarrow: '←', Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔', mapsto: '↦', in: '∈',
  notin: '∉', subset: '⊂', subseteq: '⊆', cup: '∪', cap: '∩', mid: '|', land: '∧', lor: '∨',
};

/** Function names TeX sets upright. */
const FUNCTIONS = new Set([
  'tanh', 'sinh', 'cosh', 'sin', 'cos', 'tan', 'exp', 'log', 'ln', 'max', 'min', 'arg', 'det', 'dim',
  'sup', 'inf', 'lim', 'Pr', 'softmax', 'sgn', 'diag', 'tr',
]);

/** Commands whose argument is shown as it is. */
const TEXT_COMMANDS = new Set([
  'text', 'textrm', 'textit', 'textbf', 'mathrm', 'mathit', 'mathbf', 'mathsf', 'mathtt', 'boldsymbol',
  'bm', 'operatorname', 'mbox', 'hbox', 'displaystyle', 'textstyle', 'underline', 'overbrace', 'underbrace',
]);

const ACCENTS: Record<string, string> = {
  tilde: '\u0303', widetilde: '\u0303', hat: '\u0302', widehat: '\u0302', bar: '\u0304', overline: '\u0305',
  vec: '\u20d7', dot: '\u0307', ddot: '\u0308',
};

/** Sizing and spacing commands that print nothing (their delimiter follows as its own token). */
const SILENT = new Set([
  'left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr',
  'Biggl', 'Biggr', 'middle', 'limits', 'nolimits', 'nonumber', 'notag',
]);

const SUB: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ',
  k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ',
  'β': 'ᵦ', 'γ': 'ᵧ', 'ρ': 'ᵨ', 'φ': 'ᵩ', 'ϕ': 'ᵩ', 'χ': 'ᵪ',
};

const SUP: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ',
  f: 'ᶠ', g: 'ᵍ', h: 'ʰ', i: 'ⁱ', j: 'ʲ', k: 'ᵏ', l: 'ˡ', m: 'ᵐ', n: 'ⁿ', o: 'ᵒ', p: 'ᵖ', r: 'ʳ',
  s: 'ˢ', t: 'ᵗ', u: 'ᵘ', v: 'ᵛ', w: 'ʷ', x: 'ˣ', y: 'ʸ', z: 'ᶻ', A: 'ᴬ', B: 'ᴮ', D: 'ᴰ', E: 'ᴱ',
  G: 'ᴳ', H: 'ᴴ', I: 'ᴵ', J: 'ᴶ', K: 'ᴷ', L: 'ᴸ', M: 'ᴹ', N: 'ᴺ', O: 'ᴼ', P: 'ᴾ', R: 'ᴿ', T: 'ᵀ',
  U: 'ᵁ', V: 'ⱽ', W: 'ᵂ', '⊤': 'ᵀ', '′': '′', 'α': 'ᵅ', 'β': 'ᵝ', 'γ': 'ᵞ', 'δ': 'ᵟ', 'θ': 'ᶿ',
  'ϕ': 'ᵠ', 'φ': 'ᵠ', 'χ': 'ᵡ', '∗': '*', '*': '*',
};

const BLACKBOARD: Record<string, string> = { R: 'ℝ', N: 'ℕ', Z: 'ℤ', Q: 'ℚ', C: 'ℂ', E: '𝔼', P: 'ℙ', '1': '𝟙' };
const SCRIPT = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SCRIPT_CHARS = ['𝒜', 'ℬ', '𝒞', '𝒟', 'ℰ', 'ℱ', '𝒢', 'ℋ', 'ℐ', '𝒥', '𝒦', 'ℒ', 'ℳ', '𝒩', '𝒪', '𝒫', '𝒬', 'ℛ', '𝒮', '𝒯', '𝒰', '𝒱', '𝒲', '𝒳', '𝒴', '𝒵'];

type Token = { t: 'cmd'; v: string } | { t: 'char'; v: string } | { t: 'open' } | { t: 'close' } | { t: 'sub' } | { t: 'sup' } | { t: 'space' };

function tokenize(tex: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') {
      const m = /^[A-Za-z]+/.exec(tex.slice(i + 1));
      if (m) {
        out.push({ t: 'cmd', v: m[0] });
        i += m[0].length;
        while (tex[i + 1] === ' ') i++; // TeX swallows the spaces after a control word
      } else if (i + 1 < tex.length) {
        out.push({ t: 'cmd', v: tex[i + 1] });
        i++;
      }
    } else if (c === '{') out.push({ t: 'open' });
    else if (c === '}') out.push({ t: 'close' });
    else if (c === '_') out.push({ t: 'sub' });
    else if (c === '^') out.push({ t: 'sup' });
    else if (/\s/.test(c)) out.push({ t: 'space' });
    else out.push({ t: 'char', v: c });
  }
  return out;
}

class TexReader {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  /** Everything up to the end (or to the `}` closing the current group). */
  readUntilClose(): string {
    let s = '';
    while (this.i < this.tokens.length) {
      const tok = this.tokens[this.i];
      if (tok.t === 'close') {
        this.i++;
        return s;
      }
      s += this.readAtom(s);
    }
    return s;
  }

  private skipSpaces(): void {
    while (this.tokens[this.i]?.t === 'space') this.i++;
  }

  /** One argument: a `{group}`, a command or a single character. */
  private readArg(): string {
    this.skipSpaces();
    const tok = this.tokens[this.i];
    if (!tok) return '';
    if (tok.t === 'open') {
      this.i++;
      return this.readUntilClose();
    }
    return this.readAtom('');
  }

  private readAtom(before: string): string {
    const tok = this.tokens[this.i++];
    switch (tok.t) {
      case 'space': return ' ';
      case 'char': return tok.v === '~' ? ' ' : tok.v === '&' ? ' ' : tok.v;
      case 'open': return this.readUntilClose();
      case 'close': return '';
      case 'sub': return script(this.readArg(), SUB, '_');
      case 'sup': return script(this.readArg(), SUP, '^');
      case 'cmd': return this.command(tok.v, before);
    }
  }

  private command(name: string, before: string): string {
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
      const num = this.readArg();
      const den = this.readArg();
      return `${wrap(num)}/${wrap(den)}`;
    }
    if (name === 'sqrt') {
      const arg = this.readArg();
      return `√${wrap(arg)}`;
    }
    if (name === 'mathbb') return [...this.readArg()].map((c) => BLACKBOARD[c] ?? c).join('');
    if (name === 'mathcal' || name === 'mathscr') return [...this.readArg()].map((c) => { const k = SCRIPT.indexOf(c); return k >= 0 ? SCRIPT_CHARS[k] : c; }).join('');
    if (name === 'begin' || name === 'end') {
      this.readArg();
      return ' ';
    }
    if (ACCENTS[name]) {
      const arg = this.readArg();
      return arg ? arg + ACCENTS[name] : '';
    }
    if (TEXT_COMMANDS.has(name)) return name === 'displaystyle' || name === 'textstyle' ? '' : this.readArg();
    if (SILENT.has(name)) return '';
    if (OPERATORS[name]) return ` ${OPERATORS[name]} `;
    if (name === 'sum' || name === 'prod' || name === 'int') {
      // A big operator takes its limits, then stands apart from its operand: ∏ᵢ diag(..).
      let s = SYMBOLS[name];
      for (;;) {
        this.skipSpaces();
        const next = this.tokens[this.i];
        if (next?.t === 'cmd' && (next.v === 'limits' || next.v === 'nolimits')) this.i++;
        else if (next?.t === 'sub' || next?.t === 'sup') s += this.readAtom(s);
        else break;
      }
      return s + ' ';
    }
    if (SYMBOLS[name]) return SYMBOLS[name];
    if (FUNCTIONS.has(name)) {
      this.skipSpaces();
      const next = this.tokens[this.i];
      // `\tanh(c_t)` keeps its bracket; `\tanh c_t` needs the space TeX would have set.
      const glued = next && next.t === 'char' && /[([{|]/.test(next.v);
      return (/[A-Za-z0-9]$/.test(before) ? ' ' : '') + name + (glued || !next || next.t === 'sub' || next.t === 'sup' || (next.t === 'cmd' && SILENT.has(next.v)) ? '' : ' ');
    }
    if (name === ',' || name === ';' || name === ':' || name === ' ' || name === 'quad' || name === 'qquad') return ' ';
    if (name === '!') return '';
    if (name === '\\') return '; ';
    if (name === '|') return '‖';
    if (name.length === 1) return name; // \{ \} \_ \% \$ \& \#
    return name; // an unknown macro: its name reads better than a backslash
  }
}

/** Sub/superscript: Unicode forms where every character has one, else `_x` / `_(xy)`. */
function script(arg: string, table: Record<string, string>, mark: string): string {
  const s = arg.replace(/\s+/g, '');
  if (!s) return '';
  const chars = [...s];
  if (chars.every((c) => table[c] !== undefined)) return chars.map((c) => table[c]).join('');
  return chars.length === 1 ? mark + s : `${mark}(${s})`;
}

/** Parentheses around a fraction's part unless it is one symbol. */
function wrap(s: string): string {
  const t = s.trim();
  return /^[\p{L}\p{N}\u0300-\u036f\u20d7₀-₎ᵢ-ᵪⱼ⁰-ⁿᵃ-ᶿ′∂]+$/u.test(t) ? t : `(${t})`;
}

/** A readable Unicode rendering of TeX: `c_t = f_t \odot c_{t-1}` -> `cₜ = fₜ ⊙ cₜ₋₁`. Never emits a backslash. */
export function texToUnicode(tex: string): string {
  const out = new TexReader(tokenize(tex)).readUntilClose();
  return out
    .replace(/\s+/g, ' ')
    .replace(/([([{⟨]) /g, '$1')
    .replace(/ ([)\]},;⟩])/g, '$1')
    .trim();
}

/** Markdown with `$..$` / `$$..$$` math replaced by its Unicode rendering (for hover text). */
export function mathToUnicode(markdown: string): string {
  return markdown.replace(/\$\$([\s\S]+?)\$\$|(?<![\\$])\$(?!\s)((?:\\.|[^$\\\n])+?)(?<!\s)\$(?!\d)/g, (_m, display?: string, inline?: string) => texToUnicode(display ?? inline ?? ''));
}
