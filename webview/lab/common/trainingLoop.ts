// The live-training loop the CTC, bidirectional and seq2seq demos share: a few updates per
// animation frame until a target count, a Pause / "Train N more" button, and
// `data-trained="<updates>"` on the demo's root once a run stops (what the tests wait for).
import { button } from '../../ui/render/toolkit';

export interface TrainingLoopOptions {
  /** The demo's root element (carries data-trained). */
  root: HTMLElement;
  /** Updates so far. */
  steps: () => number;
  /** Runs n more updates. */
  train: (n: number) => void;
  /** Updates per animation frame, and per run (each press of the button). */
  chunk: number;
  perRun: number;
  /** After each frame's updates, and once more when a run stops. */
  onProgress: () => void;
  onStopped?: () => void;
}

export class TrainingLoop {
  readonly button: HTMLElement;
  private raf = 0;
  private target = 0;

  constructor(id: string, private readonly o: TrainingLoopOptions) {
    this.button = button(id, 'Pause', { onClick: () => this.toggle() });
  }

  /** A fresh run of `perRun` updates (call after replacing the models). */
  start(): void {
    this.stop();
    this.target = this.o.steps() + this.o.perRun;
    this.resume();
  }

  stop(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  private resume(): void {
    delete this.o.root.dataset.trained;
    this.button.textContent = 'Pause';
    const tick = () => {
      this.raf = 0;
      const left = this.target - this.o.steps();
      if (left <= 0) return this.stopped();
      this.o.train(Math.min(this.o.chunk, left));
      this.o.onProgress();
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  private stopped(): void {
    this.button.textContent = `Train ${this.o.perRun} more`;
    this.o.root.dataset.trained = String(this.o.steps());
    this.o.onStopped?.();
    this.o.onProgress();
  }

  private toggle(): void {
    if (this.raf) {
      this.stop();
      this.target = this.o.steps();
      this.stopped();
    } else {
      this.start();
    }
  }
}
