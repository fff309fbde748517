// The seed card's LSTM equations (gate order f, i, g, o) as TeX, with the live numbers of one
// unit at one step. Each term is wrapped in \htmlClass{term-…} so hovering a heatmap cell can
// highlight it. Pure: unit-tested.

export type LstmTerm = 'f' | 'i' | 'g' | 'o' | 'c' | 'h' | 'cprev';

export interface LstmUnitValues {
  step: number;
  unit: number;
  f: number;
  i: number;
  g: number;
  o: number;
  cPrev: number;
  c: number;
  h: number;
}

/** A number as the equations print it: 3 decimals, a real minus sign, no "-0.000". */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '\\text{NaN}' : v > 0 ? '\\infty' : '-\\infty';
  const s = v.toFixed(3);
  return /^-0\.0+$/.test(s) ? '0.000' : s;
}

/** A factor in a product: negative numbers get parentheses. */
function factor(v: number): string {
  const s = fmt(v);
  return s.startsWith('-') ? `(${s})` : s;
}

const term = (name: LstmTerm, tex: string) => `\\htmlClass{term-${name}}{${tex}}`;

/** The symbolic equations (no numbers): what the card states. */
export function lstmEquationsTex(): string[] {
  return [
    'z = W\\,[x_t;\\,h_{t-1}] + b',
    `${term('f', 'f_t')} = \\sigma(z_{0:H}),\\quad ${term('i', 'i_t')} = \\sigma(z_{H:2H}),\\quad ${term('g', 'g_t')} = \\tanh(z_{2H:3H}),\\quad ${term('o', 'o_t')} = \\sigma(z_{3H:4H})`,
    `${term('c', 'c_t')} = ${term('f', 'f_t')} \\odot ${term('cprev', 'c_{t-1}')} + ${term('i', 'i_t')} \\odot ${term('g', 'g_t')}`,
    `${term('h', 'h_t')} = ${term('o', 'o_t')} \\odot \\tanh(${term('c', 'c_t')})`,
  ];
}

/** The equations with unit `unit`'s numbers at step `step` substituted. */
export function lstmNumbersTex(v: LstmUnitValues): string[] {
  const t = v.step;
  const j = v.unit;
  const sub = (s: string) => `${s}_{${t},${j}}`;
  return [
    `${term('f', `${sub('f')} = ${fmt(v.f)}`)},\\quad ${term('i', `${sub('i')} = ${fmt(v.i)}`)},\\quad ` +
      `${term('g', `${sub('g')} = ${fmt(v.g)}`)},\\quad ${term('o', `${sub('o')} = ${fmt(v.o)}`)}`,
    `${term('c', sub('c'))} = ${term('f', factor(v.f))}\\cdot${term('cprev', factor(v.cPrev))} + ` +
      `${term('i', factor(v.i))}\\cdot${term('g', factor(v.g))} = ${term('c', fmt(v.c))}`,
    `${term('h', sub('h'))} = ${term('o', factor(v.o))}\\cdot\\tanh(${term('c', fmt(v.c))}) = ${term('h', fmt(v.h))}`,
  ];
}

/** Checks the numbers are self-consistent (what the equations claim), within float32 rounding. */
export function lstmResidual(v: LstmUnitValues): number {
  return Math.max(Math.abs(v.f * v.cPrev + v.i * v.g - v.c), Math.abs(v.o * Math.tanh(v.c) - v.h));
}
