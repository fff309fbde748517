// The seed card's LSTM equations (gate order f, i, g, o) as TeX, with the live numbers of one
// unit at one step. Each term is wrapped in \htmlClass{term-…} so hovering a heatmap cell can
// highlight it. Pure: unit-tested.

export type LstmTerm = 'f' | 'i' | 'g' | 'o' | 'c' | 'h' | 'cprev';
/** Terms the GRU and vanilla-RNN equations mark (hprev: h_{t-1}; a: the RNN's pre-activation). */
export type CellTerm = LstmTerm | 'z' | 'r' | 'n' | 'hprev' | 'a';

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

const term = (name: CellTerm, tex: string) => `\\htmlClass{term-${name}}{${tex}}`;

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

// ---- vanilla (Elman) RNN: the first seed card's recurrence ----------------------------------

export interface RnnUnitValues {
  step: number;
  unit: number;
  /** W_xh x_t, W_hh h_{t-1} and b_h of this unit; h = tanh of their sum. */
  wx: number;
  uh: number;
  b: number;
  h: number;
}

export function rnnEquationsTex(): string[] {
  return [`${term('h', 'h_t')} = \\tanh(${term('a', `W_{xh}\\,x_t + W_{hh}\\,${term('hprev', 'h_{t-1}')} + b_h`)})`];
}

export function rnnNumbersTex(v: RnnUnitValues): string[] {
  const sub = (s: string) => `${s}_{${v.step},${v.unit}}`;
  const a = v.wx + v.uh + v.b;
  return [
    `${term('h', sub('h'))} = \\tanh(${term('a', `\\underbrace{${fmt(v.wx)}}_{W_{xh}x_t} + \\underbrace{${factor(v.uh)}}_{W_{hh}h_{t-1}} + \\underbrace{${factor(v.b)}}_{b_h}`)}) = \\tanh(${term('a', fmt(a))}) = ${term('h', fmt(v.h))}`,
  ];
}

export function rnnResidual(v: RnnUnitValues): number {
  return Math.abs(Math.tanh(v.wx + v.uh + v.b) - v.h);
}

// ---- GRU: the seed card's update, h_t = (1 − z_t) h_{t-1} + z_t n_t ----------------------------

export interface GruUnitValues {
  step: number;
  unit: number;
  z: number;
  r: number;
  n: number;
  hPrev: number;
  h: number;
}

export function gruEquationsTex(): string[] {
  return [
    `${term('z', 'z_t')} = \\sigma(W_z x_t + U_z ${term('hprev', 'h_{t-1}')} + b_z),\\quad ${term('r', 'r_t')} = \\sigma(W_r x_t + U_r ${term('hprev', 'h_{t-1}')} + b_r)`,
    `${term('n', '\\tilde h_t')} = \\tanh(W x_t + U(${term('r', 'r_t')} \\odot ${term('hprev', 'h_{t-1}')}) + b)`,
    `${term('h', 'h_t')} = (1 - ${term('z', 'z_t')}) \\odot ${term('hprev', 'h_{t-1}')} + ${term('z', 'z_t')} \\odot ${term('n', '\\tilde h_t')}`,
  ];
}

export function gruNumbersTex(v: GruUnitValues): string[] {
  const sub = (s: string) => `${s}_{${v.step},${v.unit}}`;
  return [
    `${term('z', `${sub('z')} = ${fmt(v.z)}`)},\\quad ${term('r', `${sub('r')} = ${fmt(v.r)}`)},\\quad ${term('n', `${sub('\\tilde h')} = ${fmt(v.n)}`)}`,
    `${term('h', sub('h'))} = (1 - ${term('z', fmt(v.z))})\\cdot${term('hprev', factor(v.hPrev))} + ${term('z', factor(v.z))}\\cdot${term('n', factor(v.n))} = ${term('h', fmt(v.h))}`,
  ];
}

export function gruResidual(v: GruUnitValues): number {
  return Math.abs((1 - v.z) * v.hPrev + v.z * v.n - v.h);
}
