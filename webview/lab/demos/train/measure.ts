// The playground's slower views of one model, measured from its current weights: the spectrum of
// the block of W_hh that plays the RNN's part, the gradient flow, recall's connectivity and the
// text task's samples. Called for one model per frame (view.ts refreshView).
import type { TrainControls, TrainModelKey } from '../../../../protocol';
import type { Run } from './charts';

const SAMPLE_CHARS = 160;

/**
 * The block of W_hh the spectrum views show: the RNN's own, the LSTM's and GRU's candidate (g, n),
 * the block that plays the RNN's part; the others are gates squashed by a sigmoid.
 */
export const RECURRENT_GATE: Record<TrainModelKey, string> = { rnn: 'h', irnn: 'h', lstm: 'g', gru: 'n' };

/** Refreshes run.text (text task), run.held (series task) and run.view (once the model has stepped). */
export function measureRun(run: Run, c: TrainControls): void {
  if (c.task === 'text') {
    const fr = run.trainer.freeRunning();
    run.text = { sample: run.trainer.sample(SAMPLE_CHARS, c.temperature), teacherForced: fr.teacherForced, freeRunning: fr.freeRunning };
  }
  // Held-out windows of the last 20%: what the headline compares with the baselines.
  if (c.task === 'series' && run.last) run.held = run.trainer.evaluate(4).loss;
  if (run.last) {
    const spec = run.trainer.spectrum(RECURRENT_GATE[run.key])[0];
    run.view = {
      singular: Array.from(spec.singular), re: spec.re, im: spec.im, gate: spec.gate,
      // Steps back from the last step: index 0 is the last step.
      flow: Array.from(run.trainer.gradientNorms()).reverse(),
      ...(c.task === 'recall' ? { conn: Array.from(run.trainer.connectivity()) } : {}),
    };
  }
}
