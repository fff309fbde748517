// The forward-pass demo (LSTM, GRU or vanilla RNN): its controls and their defaults.
import * as v from 'valibot';
import { CELLS, CELL_SPECS, INIT_SCHEMES, type Cell, type InitScheme } from '../../engine/types';
import { LAB_LIMITS, int, real, seed } from '../labLimits';

/** The forward demo's name for each cell: its cell dropdown, its heading and the panel's tab. */
export const FORWARD_CELL_NAMES: Readonly<Record<Cell, string>> = Object.fromEntries(CELLS.map((c) => [c, CELL_SPECS[c].display])) as Record<Cell, string>;

/** The forward demo's input presets. */
export const LAB_INPUT_PRESETS = ['sine', 'square', 'noise', 'copy', 'word'] as const;
export type LabInputPreset = (typeof LAB_INPUT_PRESETS)[number];
export type LabInit = InitScheme;

export const forwardControlsSchema = v.strictObject({
  /** The cell the forward demo runs (absent in states saved before the picker: the LSTM). */
  cell: v.optional(v.picklist(CELLS)),
  preset: v.picklist(LAB_INPUT_PRESETS),
  /** The text of the "type a word" preset. */
  word: v.pipe(v.string(), v.maxLength(LAB_LIMITS.T)),
  D: int(1, LAB_LIMITS.D),
  H: int(1, LAB_LIMITS.H),
  T: int(1, LAB_LIMITS.T),
  seed,
  forgetBias: real(-10, 10),
  init: v.picklist(INIT_SCHEMES),
  /** The scrubber's step and the unit whose numbers the equations show (0-based). */
  step: int(0, LAB_LIMITS.T - 1),
  unit: int(0, LAB_LIMITS.H - 1),
});
export type ForwardControls = v.InferOutput<typeof forwardControlsSchema>;

export const DEFAULT_FORWARD_CONTROLS: ForwardControls = {
  preset: 'sine', word: 'hello', D: 4, H: 16, T: 48, seed: 1, forgetBias: 1, init: 'xavier', step: 0, unit: 0,
};
