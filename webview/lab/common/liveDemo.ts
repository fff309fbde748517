// What the CTC, bidirectional and seq2seq demos share as demos: models trained live from a seed
// (TrainingLoop), drawn in the page's frame, stopped when another demo is shown, and rebuilt only
// when a show brings controls they were not trained on.
import { LAB_DEFAULTS, type LabViewState } from '../../../protocol';
import type { ValueElement } from '../../ui/render/toolkit';
import { demoSpec, type Demo, type DemoSpec } from '../demo';

/** The live demos: each keeps its controls under its own id in the view state. */
export type LiveDemoId = 'ctc' | 'bidirectional' | 'seq2seq';
export type LiveControls<K extends LiveDemoId> = NonNullable<LabViewState[K]>;

export abstract class LiveDemo<K extends LiveDemoId> implements Demo {
  abstract readonly id: K;
  abstract readonly root: HTMLElement;
  protected abstract c: LiveControls<K>;
  protected abstract readonly seed: ValueElement;

  /** `onChange` hears each change of the controls made here; `redraw` asks for a frame. */
  constructor(private readonly onChange: (c: LiveControls<K>) => void, protected readonly redraw: () => void) {}

  /** Whether the models are already those of `c` (a show with the same controls goes on training them). */
  protected abstract trainedOn(c: LiveControls<K>): boolean;
  /** New models for the controls, trained in the background. */
  protected abstract restart(): void;
  abstract stop(): void;
  abstract draw(): void;

  /** The demo's controls in `state`, their defaults when it has none yet. */
  show(state: LabViewState): void {
    this.setControls((state[this.id] ?? LAB_DEFAULTS[this.id]) as LiveControls<K>);
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
  setControls(c: LiveControls<K>): void {
    if (this.trainedOn(c)) return;
    this.c = { ...c };
    this.showControls(c);
    this.restart();
  }

  /** A control changed here: new models for the new controls. */
  protected change(patch: Partial<LiveControls<K>>): void {
    this.c = { ...this.c, ...patch };
    this.onChange(this.c);
    this.restart();
  }

  /** Puts controls that came from the host into the widgets. */
  protected showControls(c: LiveControls<K>): void {
    if (this.seed.value !== String(c.seed)) this.seed.value = String(c.seed);
  }
}

/** How a live demo is built: its first controls, where it reports a change, how it asks for a redraw. */
export type LiveDemoClass<K extends LiveDemoId> = new (initial: LiveControls<K>, onChange: (c: LiveControls<K>) => void, redraw: () => void) => LiveDemo<K>;

/** A live demo's spec: a control change is saved under its id and redrawn; training progress redraws. */
export function liveDemoSpec<K extends LiveDemoId>(id: K, Live: LiveDemoClass<K>): DemoSpec {
  return demoSpec(id, (ctx, state) => new Live((state[id] ?? LAB_DEFAULTS[id]) as LiveControls<K>, (c) => {
    ctx.update((s) => ({ ...s, [id]: c }));
    ctx.schedule(false);
  }, () => ctx.schedule(true)));
}
