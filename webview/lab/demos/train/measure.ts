// The playground's slower views of one model, measured from its current weights: the spectrum of
// the block of W_hh that plays the RNN's part, the gradient flow, recall's connectivity and the
// text task's samples. The loop that trains the model measures them (loop.ts), when the view asks.
import type { TrainControls, TrainModelKey } from '../../../../protocol';
import type { Trainer } from '../../../../engine/train';
import type { Run } from './charts';

const SAMPLE_CHARS = 160;

/**
 * The block of W_hh the spectrum views show: the RNN's own, the LSTM's and GRU's candidate (g, n),
 * the block that plays the RNN's part; the others are gates squashed by a sigmoid.
 */
export const RECURRENT_GATE: Record<TrainModelKey, string> = { rnn: 'h', irnn: 'h', lstm: 'g', gru: 'n' };

/** The model's text (text task), held (series task) and view (once it has stepped, `stepped`). */
export function measureRun(key: TrainModelKey, trainer: Trainer, stepped: boolean, c: Pick<TrainControls, 'task' | 'temperature'>): Pick<Run, 'text' | 'held' | 'view'> {
  const out: Pick<Run, 'text' | 'held' | 'view'> = {};
  if (c.task === 'text') {
    const fr = trainer.freeRunning();
    out.text = { sample: trainer.sample(SAMPLE_CHARS, c.temperature), teacherForced: fr.teacherForced, freeRunning: fr.freeRunning };
  }
  // Held-out windows of the last 20%: what the headline compares with the baselines.
  if (c.task === 'series' && stepped) out.held = trainer.evaluate(4).loss;
  if (stepped) {
    const spec = trainer.spectrum(RECURRENT_GATE[key])[0];
    out.view = {
      singular: Array.from(spec.singular), re: spec.re, im: spec.im, gate: spec.gate,
      // Steps back from the last step: index 0 is the last step.
      flow: Array.from(trainer.gradientNorms()).reverse(),
      ...(c.task === 'recall' ? { conn: Array.from(trainer.connectivity()) } : {}),
    };
  }
  return out;
}
