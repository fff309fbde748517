// The inspector's gate spectra, computed one gate block at a time (DOM-free: in the lab's Worker,
// or on the page where none starts): for the checkpoint's layer and its fresh initialisation, each
// block's singular values and eigenvalues up to SPECTRUM_MAX_H, σ_max alone above. A slice
// computes blocks for its time (at least one), then reports how many are done; a cancel is heard
// between blocks.
import type { InspectCommand, InspectReply } from '../../../../protocol/demos/inspectWorker';
import {
  GATES, SPECTRUM_MAX_H, gateSpectrum, gateSummary, spectrumSummary, type GateSpectrum, type GateSummary, type LayerLike,
} from '../../../../engine/summaries/inspect';
import type { Loop, Post } from '../../common/workerKinds';
import { errorLine } from '../../../ui/text';

interface Job {
  id: number;
  layers: { trained: LayerLike; fresh: LayerLike };
  /** The blocks still to compute, in order. */
  todo: { which: 'trained' | 'fresh'; q: number }[];
  total: number;
  spectra: { trained: GateSpectrum[]; fresh: GateSpectrum[] };
  summaries: { trained: GateSummary[]; fresh: GateSummary[] };
}

export class SpectraLoop implements Loop<InspectCommand> {
  private job: Job | undefined;

  constructor(private readonly post: Post<InspectReply>) {}

  get playing(): boolean {
    return !!this.job;
  }

  handle(cmd: InspectCommand): void {
    if (cmd.type === 'cancel') {
      if (this.job?.id === cmd.id) this.job = undefined;
      return;
    }
    const blocks = GATES[cmd.trained.cell].length;
    const todo = (['trained', 'fresh'] as const).flatMap((which) => Array.from({ length: blocks }, (_, q) => ({ which, q })));
    this.job = {
      id: cmd.id, layers: { trained: cmd.trained, fresh: cmd.fresh }, todo, total: todo.length,
      spectra: { trained: [], fresh: [] }, summaries: { trained: [], fresh: [] },
    };
  }

  slice(ms: number, now: () => number): void {
    const job = this.job;
    if (!job) return;
    const t0 = now();
    try {
      do {
        const { which, q } = job.todo.shift()!;
        const l = job.layers[which];
        if (l.H <= SPECTRUM_MAX_H) {
          const s = gateSpectrum(l, q);
          job.spectra[which].push(s);
          job.summaries[which].push(spectrumSummary(s));
        } else {
          job.summaries[which].push(gateSummary(l, q));
        }
      } while (job.todo.length > 0 && now() - t0 < ms);
    } catch (err) {
      this.job = undefined;
      this.post({ type: 'failed', id: job.id, message: errorLine(err) });
      return;
    }
    if (job.todo.length > 0) {
      this.post({ type: 'progress', id: job.id, done: job.total - job.todo.length, total: job.total });
      return;
    }
    this.job = undefined;
    const full = job.layers.trained.H <= SPECTRUM_MAX_H;
    this.post({ type: 'spectra', id: job.id, ...(full ? { spectra: job.spectra } : {}), summaries: job.summaries });
  }
}
