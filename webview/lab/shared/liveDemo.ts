// What the CTC, bidirectional and seq2seq demos share as demos: models trained live from a seed
// (TrainingLoop), drawn in the page's frame, stopped when another demo is shown, and rebuilt only
// when a show brings controls they were not trained on.
import type { LabDemoId, LabViewState } from '../../../protocol';
import type { ValueElement } from '../../ui/render/toolkit';
import type { Demo } from '../demo';

export abstract class LiveDemo<C extends { seed: number }> implements Demo {
  abstract readonly id: LabDemoId;
  abstract readonly root: HTMLElement;
  protected abstract c: C;
  protected abstract readonly seed: ValueElement;

  /** The demo's controls in `state` (their defaults when it has none yet). */
  protected abstract controlsOf(state: LabViewState): C;
  /** Whether the models are already those of `c` (a show with the same controls goes on training them). */
  protected abstract trainedOn(c: C): boolean;
  /** New models for the controls, trained in the background. */
  protected abstract restart(): void;
  abstract stop(): void;
  abstract draw(): void;

  show(state: LabViewState): void {
    this.setControls(this.controlsOf(state));
  }

  hide(): void {
    this.stop();
  }

  render(): void {
    this.draw();
  }

  dispose(): void {
    this.stop();
  }

  /** New controls from the host (a revived panel, a card's setting). */
  setControls(c: C): void {
    if (this.trainedOn(c)) return;
    this.c = { ...c };
    this.showControls(c);
    this.restart();
  }

  /** Puts controls that came from the host into the widgets. */
  protected showControls(c: C): void {
    if (this.seed.value !== String(c.seed)) this.seed.value = String(c.seed);
  }
}
