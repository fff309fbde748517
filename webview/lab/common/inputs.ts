// Input sequences for the LSTM forward demo. Pure and seeded, so the demo and its tests see the
// same numbers. x is (T, B=1, D) row-major; `labels` names each step for the time axis.
import type { LabInputPreset } from '../../../protocol';
import { gaussianSource, mulberry32 } from '../../../engine/init';

export interface InputSequence {
  x: Float32Array;
  T: number;
  D: number;
  /** One short label per step (the character typed, the copy-task symbol, or the step number). */
  labels: string[];
  /** A sentence saying what the input is, for the panel. */
  description: string;
}

/**
 * Builds the input for a preset. `T` is the requested length; the word preset uses the word's
 * length instead (at least 1 step), since each character is one step.
 */
export function makeInput(preset: LabInputPreset, D: number, T: number, seed: number, word = ''): InputSequence {
  const steps = (n: number) => Array.from({ length: n }, (_, t) => String(t));
  switch (preset) {
    case 'sine': {
      const x = new Float32Array(T * D);
      // Channel d has period 8·2^(d mod 3) steps and a phase offset, so channels differ.
      for (let t = 0; t < T; t++) {
        for (let d = 0; d < D; d++) x[t * D + d] = Math.sin((2 * Math.PI * t) / (8 * 2 ** (d % 3)) + d * 0.7);
      }
      return { x, T, D, labels: steps(T), description: `${D} sine waves (periods 8, 16, 32 steps), one per input channel.` };
    }
    case 'square': {
      const x = new Float32Array(T * D);
      for (let t = 0; t < T; t++) {
        for (let d = 0; d < D; d++) x[t * D + d] = Math.floor((t + 3 * d) / (6 + 2 * d)) % 2 === 0 ? 1 : -1;
      }
      return { x, T, D, labels: steps(T), description: `${D} square waves of ±1 with different periods.` };
    }
    case 'noise': {
      const g = gaussianSource(seed ^ 0x9e3779b9);
      const x = new Float32Array(T * D);
      for (let i = 0; i < x.length; i++) x[i] = g();
      return { x, T, D, labels: steps(T), description: `Gaussian noise, N(0, 1), seed ${seed}.` };
    }
    case 'copy': {
      // Copy task: a few random symbols, blanks, then a delimiter asking the network to recall
      // them. Channels 0..D-3 are symbols, D-2 is blank, D-1 is the delimiter (D >= 3).
      const symbols = Math.max(1, D - 2);
      const next = mulberry32(seed ^ 0x85ebca6b);
      const n = Math.max(1, Math.min(8, Math.floor(T / 4)));
      const x = new Float32Array(T * D);
      const labels: string[] = [];
      for (let t = 0; t < T; t++) {
        let ch: number;
        let label: string;
        if (t < n) {
          ch = Math.floor(next() * symbols);
          label = String.fromCharCode(65 + (ch % 26));
        } else if (t === T - n - 1 && D >= 2) {
          ch = D - 1;
          label = '⏎';
        } else {
          ch = D >= 3 ? D - 2 : 0;
          label = '·';
        }
        x[t * D + Math.min(ch, D - 1)] = 1;
        labels.push(label);
      }
      return { x, T, D, labels, description: `Copy task: ${n} one-hot symbols, blanks, then a delimiter (⏎) after which the network should replay them.` };
    }
    case 'word': {
      const chars = [...(word.length ? word : ' ')];
      const x = new Float32Array(chars.length * D);
      chars.forEach((c, t) => {
        x[t * D + (c.codePointAt(0)! % D)] = 1;
      });
      return {
        x, T: chars.length, D, labels: chars.map((c) => (c === ' ' ? '␣' : c)),
        description: `"${word}" one character per step, one-hot over ${D} channels (character code mod ${D}).`,
      };
    }
  }
}
