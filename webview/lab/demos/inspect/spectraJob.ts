// The inspector's gate spectra as a job beside the page: started for each new layer, computed in
// the lab's Worker (spectraLoop.ts; on the page, in slices of each frame, where no Worker starts),
// with its progress on a line and a Cancel button; cancelled, a button computes them again.
import { inspectReplySchema, type InspectCommand, type InspectReply } from '../../../../protocol';
import type { LayerLike } from '../../../../engine/summaries/inspect';
import { button } from '../../../ui/render/toolkit';
import { el } from '../../../ui/dom';
import { startWorkerEngine, type WorkerEngine } from '../../common/workerEngine';
import { SpectraLoop } from './spectraLoop';

export type SpectraResult = Extract<InspectReply, { type: 'spectra' }>;

/** On the page, the share of a frame given to the spectra. */
const PAGE_SLICE_MS = 12;

export class SpectraJob {
  readonly row = el('div', { class: 'control', id: 'inspect-spectra-job' });
  private readonly status = el('span', { id: 'inspect-spectra-progress', class: 'note', role: 'status' });
  private readonly cancelButton: HTMLElement;
  private readonly againButton: HTMLElement;
  private engine: WorkerEngine<InspectCommand> | undefined;
  private id = 0;
  private layers: { trained: LayerLike; fresh: LayerLike } | undefined;
  private running = false;
  private frame = 0;

  /** `done` hears the spectra of the job it started last. */
  constructor(private readonly done: (r: SpectraResult) => void) {
    this.cancelButton = button('inspect-spectra-cancel', 'Cancel', { appearance: 'secondary', ariaLabel: 'Stop computing the spectra', onClick: () => this.cancel() });
    this.againButton = button('inspect-spectra-compute', 'Compute the spectra', { appearance: 'secondary', onClick: () => this.layers && this.start(this.layers.trained, this.layers.fresh) });
    this.row.append(this.status, this.cancelButton, this.againButton);
    this.show('');
  }

  start(trained: LayerLike, fresh: LayerLike): void {
    this.layers = { trained, fresh };
    this.engine ??= this.startEngine();
    this.id++;
    this.running = true;
    this.show('Computing the spectra…');
    this.engine.send({ type: 'spectra', id: this.id, trained, fresh });
    this.pageFrames();
  }

  cancel(): void {
    if (!this.running) return;
    this.engine?.send({ type: 'cancel', id: this.id });
    this.id++;
    this.running = false;
    this.show('The spectra were not computed (cancelled).', true);
  }

  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.engine?.dispose();
  }

  private show(text: string, again = false): void {
    this.status.textContent = text;
    this.cancelButton.hidden = !this.running;
    this.againButton.hidden = !again;
    this.row.hidden = !text;
  }

  /** On the page the loop computes in the page's frames. */
  private pageFrames(): void {
    if (this.frame || !this.engine?.wantsFrames) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.engine?.frame(PAGE_SLICE_MS);
      this.pageFrames();
    });
  }

  private reply(r: InspectReply): void {
    if (r.id !== this.id || !this.running) return;
    if (r.type === 'progress') return this.show(`Computing the spectra: ${r.done} of ${r.total} gate blocks…`);
    this.running = false;
    if (r.type === 'failed') return this.show(`The spectra could not be computed: ${r.message}`, true);
    this.show('');
    this.done(r);
  }

  private startEngine(): WorkerEngine<InspectCommand> {
    return startWorkerEngine<InspectCommand, InspectReply>({
      kind: 'inspect',
      replies: inspectReplySchema,
      pageLoop: (post) => new SpectraLoop(post),
      reply: (r) => this.reply(r),
      moved: (where) => {
        this.row.dataset.where = where;
        this.pageFrames();
      },
      crashed: (message) => {
        this.running = false;
        this.engine?.dispose();
        this.engine = undefined;
        this.show(`The spectra could not be computed: ${message}`, true);
      },
    });
  }
}
