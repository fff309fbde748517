// How the training playground meets the page: what it asks of it (TrainDemoHost) and its spec,
// which saves its controls, progress, series numbers and the layer it trains in the view state.
import type { TrainControls, TrainLayerRef, TrainProgress, TrainSeries } from '../../../../protocol';
import { demoSpec } from '../../demo';
import { TrainDemo } from './view';

/** The text the host sent for the text task. */
export interface TrainText {
  source: TrainControls['textSource'];
  label: string;
  text: string;
}

export interface TrainDemoHost {
  onControls(c: TrainControls): void;
  onProgress(p: TrainProgress): void;
  requestText(source: TrainControls['textSource']): void;
  /** The series task's numbers changed (kept in the lab's state). */
  onSeries(s: TrainSeries): void;
  pickCsv(): void;
  onError(message: string): void;
  /** The lab's corner: the backend the models train on. */
  corner(text: string, detail: string): void;
  /** The checkpoint layer it trains now (kept across a window reload), or none. */
  onLayer(ref: TrainLayerRef | undefined): void;
}

/** The playground trains in its own frame loop; it reports its controls and progress to the page. */
export const trainDemo = demoSpec('train', (ctx, state) => new TrainDemo(state.train, state.trainProgress, {
  onControls: (c) => {
    ctx.update((s) => ({ ...s, train: c }));
    ctx.dropModelIfChanged(undefined, c.H);
    ctx.persist();
  },
  onProgress: (p) => {
    ctx.update((s) => ({ ...s, trainProgress: p }));
    ctx.persist();
  },
  requestText: (source) => ctx.send({ type: 'requestText', source }),
  onSeries: (s) => {
    ctx.update((st) => ({ ...st, trainSeries: s }));
    ctx.persist();
  },
  pickCsv: () => ctx.send({ type: 'pickCsv' }),
  onError: (message) => ctx.send({ type: 'error', message }),
  corner: (text, detail) => ctx.corner(text, detail),
  onLayer: (ref) => {
    ctx.update((s) => ({ ...s, trainLayer: ref }));
    ctx.persist();
  },
}, state.trainSeries, state.trainLayer), ['text', 'csv', 'csvError', 'trainLayer', 'trainLayerError']);
