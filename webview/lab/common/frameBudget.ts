// The per-frame step budget the training playground and the character model share: training
// runs in chunks that fit what is left of an animation frame, so a frame never waits long.
/**
 * How many model steps fit in what is left of a frame's budget: the time of one step is tracked
 * as a moving average, and a frame asks for what fits (at least one, so training always moves).
 */
export class FrameBudget {
  private msPerStep = 0;

  constructor(readonly budgetMs = 12) {}

  stepsWithin(ms: number): number {
    if (this.msPerStep <= 0) return 1;
    return Math.max(1, Math.floor(ms / this.msPerStep));
  }

  record(steps: number, ms: number): void {
    if (steps <= 0) return;
    const per = ms / steps;
    this.msPerStep = this.msPerStep === 0 ? per : 0.8 * this.msPerStep + 0.2 * per;
  }
}
