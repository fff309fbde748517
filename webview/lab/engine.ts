// The lab's one door to the kernels (webview/kernels): which backend runs the demos and
// what the panel says about it. The demos start at once on the plain-JS kernels while the
// kernels' chooser probes WebGL2, WebGL and wasm (correctness against the float64 reference,
// then speed at the demo size) and hands over the fastest correct backend; a lost WebGL context
// moves to the next one. The demos call only `forward` and `backward` through here, so a change
// of backend never touches their state.
import { chooseBackend, type BackendSwitch, type Candidate, type Probe } from '../kernels/chooseBackend';
import { jsEngine } from '../kernels/fast';
import type { Engine } from '../kernels/types';

export interface LabEngine {
  /** What the corner shows: webgl2, webgl, wasm or js. */
  readonly label: string;
  /** Why this backend (e.g. "WebGL unavailable: running on js"), when that is worth saying. */
  readonly note?: string;
  forward: Engine['forward'];
  backward: Engine['backward'];
}

export function labelOf(name: Candidate | string): string {
  return name.startsWith('gpu:') ? name.slice(4) : name;
}

/** The plain-JS kernels: correct everywhere, used until (and unless) WebGL or wasm proves faster. */
export function jsLabEngine(note?: string): LabEngine {
  return { label: 'js', note, forward: jsEngine.forward, backward: jsEngine.backward };
}

/**
 * Says why the lab fell back to the plain-JS kernels, from what the chooser measured: for WebGL
 * (webgl2 and webgl together) and for wasm, whether it was not available, failed its check
 * against the reference, or was slower. Nothing to say when a faster backend runs.
 */
export function explainChoice(chosen: string, probes: readonly Probe[]): string | undefined {
  if (chosen !== 'js') return undefined;
  const js = probes.find((p) => p.name === 'js');
  const missing: string[] = [];
  const reasons: string[] = [];
  for (const [what, group] of [
    ['WebGL', probes.filter((p) => p.name.startsWith('gpu:'))],
    ['WebAssembly', probes.filter((p) => p.name === 'wasm')],
  ] as const) {
    if (group.length === 0) continue;
    if (group.every((p) => !p.available)) {
      missing.push(what);
      continue;
    }
    const best = group.filter((p) => p.correct).sort((a, b) => a.ms - b.ms)[0];
    if (best && js) {
      reasons.push(`js was faster than ${labelOf(best.name)} (${js.ms.toFixed(1)} ms vs ${best.ms.toFixed(1)} ms at the demo size)`);
    } else if (!best) {
      const wrong = group.find((p) => p.available && !p.correct);
      reasons.push(`${what} failed its check against the reference (${labelOf(wrong?.name ?? group[0].name)}: ${wrong?.error ?? 'mismatch'})`);
    }
  }
  if (missing.length > 0) reasons.unshift(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not available here`);
  return reasons.length === 0 ? undefined : `${reasons.join('; ')}: the lab runs on the plain-JS kernels (same results, on the CPU).`;
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
