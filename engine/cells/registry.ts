// Every recurrent cell, declared once: what the rest of the engine (and the rooms that import
// it) lists, counts or checks about cells is read from here. The order of CELL_SPECS is the
// order the kernels' checks run them and their error messages name them; the lab lists them in
// `labOrder`.

/** One gate block of W (its G·H rows are G blocks of H, in `gates` order). */
export interface GateSpec {
  /** The block's key: a ForwardResult.gates key, a spectrum's gate name. */
  readonly key: string;
  /** What the checkpoint inspector calls the block. */
  readonly name: string;
}

export interface CellSpec {
  readonly key: string;
  /** As the lab names the cell. */
  readonly display: string;
  /** The blocks of W and b, in the engine's order (docs/KERNELS.md). */
  readonly gates: readonly GateSpec[];
  /** Whether a forward result keeps the gates (the RNN's one block is h itself, which it returns anyway). */
  readonly keepsGates: boolean;
  /** The block that makes the new content (the LSTM's g, the GRU's n; the RNN's h). */
  readonly candidate: string;
  /**
   * PyTorch's order of the same blocks (weight_ih_l0 and friends), and the blocks whose sign it
   * flips: PyTorch's GRU z weighs the old state, the engine's the new one, and
   * σ(−a) = 1 − σ(a), so negating z's weights and biases turns one into the other.
   */
  readonly pytorch: { readonly gates: readonly string[]; readonly negate: readonly string[] };
}

const gate = <K extends string>(key: K, name: string): { readonly key: K; readonly name: string } => ({ key, name });

export const CELL_SPECS = {
  rnn: {
    key: 'rnn', display: 'Vanilla RNN', labOrder: 2,
    gates: [gate('h', 'recurrent')], keepsGates: false, candidate: 'h',
    pytorch: { gates: ['h'], negate: [] },
  },
  lstm: {
    key: 'lstm', display: 'LSTM', labOrder: 0,
    gates: [gate('f', 'forget gate'), gate('i', 'input gate'), gate('g', 'candidate'), gate('o', 'output gate')],
    keepsGates: true, candidate: 'g',
    pytorch: { gates: ['i', 'f', 'g', 'o'], negate: [] },
  },
  gru: {
    key: 'gru', display: 'GRU', labOrder: 1,
    gates: [gate('z', 'update gate'), gate('r', 'reset gate'), gate('n', 'candidate')], keepsGates: true, candidate: 'n',
    pytorch: { gates: ['r', 'z', 'n'], negate: ['z'] },
  },
} as const satisfies Record<string, CellSpec & { labOrder: number }>;

export type Cell = keyof typeof CELL_SPECS;

/** The cells in the order their checks run and messages list them: rnn, lstm, gru. */
export const CELL_KEYS = Object.keys(CELL_SPECS) as Cell[];

/** The recurrent cells, in the order the lab lists them. */
export const CELLS: readonly Cell[] = [...CELL_KEYS].sort((a, b) => CELL_SPECS[a].labOrder - CELL_SPECS[b].labOrder);

export function isCell(v: unknown): v is Cell {
  return typeof v === 'string' && Object.hasOwn(CELL_SPECS, v);
}

/** `unknown cell <shown> (rnn, lstm or gru)`: the guard's message, with the value as the caller shows it. */
export function unknownCell(shown: string): string {
  return `unknown cell ${shown} (${CELL_KEYS.slice(0, -1).join(', ')} or ${CELL_KEYS[CELL_KEYS.length - 1]})`;
}

/** G, the gate blocks of W: 4 (LSTM), 3 (GRU), 1 (RNN). */
export function gateCount(cell: Cell): number {
  return CELL_SPECS[cell].gates.length;
}

/** The gate keys of a cell, in the engine's order. */
export function gateKeys(cell: Cell): readonly string[] {
  return CELL_SPECS[cell].gates.map((g) => g.key);
}

/** A gate a forward result may hold: every block but the RNN's, which is h itself. */
export type ResultGate = Exclude<(typeof CELL_SPECS)[Cell]['gates'][number]['key'], 'h'>;

/** The gates a forward result holds, in the engine's order (none for the RNN). */
export function resultGates(cell: Cell): readonly ResultGate[] {
  return CELL_SPECS[cell].keepsGates ? gateKeys(cell) as ResultGate[] : [];
}

/** The cell with G gate blocks, if any: how a checkpoint's weight shapes name their cell. */
export function cellWithGates(G: number): Cell | null {
  return CELL_KEYS.find((c) => gateCount(c) === G) ?? null;
}

/** The shapes of a cell's parameters: W (G·H, D+H), b and bh (G·H). */
export function paramShapes(cell: Cell, D: number, H: number): { W: [number, number]; b: [number]; bh: [number] } {
  const GH = gateCount(cell) * H;
  return { W: [GH, D + H], b: [GH], bh: [GH] };
}

/** For each engine gate block, the index of the same block in PyTorch's order. */
export function pytorchSource(cell: Cell): number[] {
  const order: readonly string[] = CELL_SPECS[cell].pytorch.gates;
  return gateKeys(cell).map((k) => order.indexOf(k));
}

/** The engine gate blocks whose weights and biases are PyTorch's negated. */
export function pytorchNegated(cell: Cell): number[] {
  const negate: readonly string[] = CELL_SPECS[cell].pytorch.negate;
  return gateKeys(cell).flatMap((k, q) => (negate.includes(k) ? [q] : []));
}
