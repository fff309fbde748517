// The lab's one door to the kernels (webview/kernels): which backend runs the demos and
// what the panel says about it. The demos start at once on the plain-JS kernels while the
// kernels' chooser probes WebGL2 and WebGL (correctness against the float64 reference, then
// speed at the demo size) and hands over the fastest correct backend; a lost WebGL context
// moves to the next one. The demos call only `forward` and `backward` through here, so a change
// of backend never touches their state.
import { chooseBackend, type BackendSwitch, type Candidate, type Probe } from '../kernels/chooseBackend';
import { jsEngine } from '../kernels/fast';
import type { Engine } from '../kernels/types';

export interface LabEngine {
  /** What the corner shows: webgl2, webgl or js. */
  readonly label: string;
  /** Why this backend (e.g. "WebGL unavailable: running on js"), when that is worth saying. */
  readonly note?: string;
  forward: Engine['forward'];
  backward: Engine['backward'];
}

export function labelOf(name: Candidate | string): string {
  return name.startsWith('gpu:') ? name.slice(4) : name;
}

/** The plain-JS kernels: correct everywhere, used until (and unless) WebGL proves faster. */
export function jsLabEngine(note?: string): LabEngine {
  return { label: 'js', note, forward: jsEngine.forward, backward: jsEngine.backward };
}

/** Says why the chosen backend is the one in use, from what the chooser measured. */
export function explainChoice(chosen: string, probes: readonly Probe[]): string | undefined {
  const gpu = probes.filter((p) => p.name !== 'js');
  if (chosen !== 'js' || gpu.length === 0) return undefined;
  if (gpu.every((p) => !p.available)) return 'WebGL is not available here: the lab runs on the plain-JS kernels (same results, on the CPU).';
  const wrong = gpu.find((p) => p.available && !p.correct);
  if (wrong && gpu.every((p) => !p.correct)) return `WebGL failed its check against the reference (${labelOf(wrong.name)}: ${wrong.error ?? 'mismatch'}): the lab runs on the plain-JS kernels.`;
  const best = gpu.filter((p) => p.correct).sort((a, b) => a.ms - b.ms)[0];
  const js = probes.find((p) => p.name === 'js');
  if (best && js) return `js was faster than ${labelOf(best.name)} here (${js.ms.toFixed(1)} ms vs ${best.ms.toFixed(1)} ms at the demo size).`;
  return undefined;
}

function wrap(sw: BackendSwitch, note?: string): LabEngine {
  return {
    label: labelOf(sw.name),
    note,
    forward: (...a) => sw.forward(...a),
    backward: (...a) => sw.backward(...a),
  };
}

/**
 * Starts the chooser; `onEngine` gets the chosen backend once probed, and again whenever it
 * changes (WebGL context lost). Failures of the chooser itself leave the lab on js, said so.
 */
export function startEngine(onEngine: (engine: LabEngine) => void): void {
  let sw: BackendSwitch | undefined;
  chooseBackend({
    onChange: (name, reason) => {
      // The first call comes from inside chooseBackend, before it returns: `sw` is not set yet.
      if (!sw) return;
      const note = /lost|failed/i.test(reason) ? `${reason}: switched to ${labelOf(name)}.` : undefined;
      onEngine(wrap(sw, note));
    },
  }).then((chosen) => {
    sw = chosen;
    onEngine(wrap(chosen, explainChoice(chosen.name, chosen.probes)));
  }, (err: unknown) => {
    onEngine(jsLabEngine(`Backend probe failed (${err instanceof Error ? err.message : String(err)}): the lab runs on the plain-JS kernels.`));
  });
}
