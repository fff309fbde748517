// The lab's one door to the kernels (engine): which backend runs the demos and
// what the panel says about it. The demos start at once on the plain-JS kernels while the
// kernels' chooser probes WebGL2, WebGL and wasm (correctness against the float64 reference,
// then speed at the demo size) and hands over its choice, or the backend the rnnLens.lab.backend
// setting forces; a lost WebGL context moves to the next one. The demos call only `forward` and
// `backward` through here, so a change of backend never touches their state.
import { CANDIDATES, chooseBackend, type BackendSwitch, type Candidate, type ChoiceReason, type Probe } from '../../engine/backends/choose';
import { jsEngine } from '../../engine/backends/js';
import { settingOf } from '../../engine/backends/registry';
import type { Engine } from '../../engine/types';
import { errorText } from '../ui/text';

export interface LabEngine {
  /** What the corner shows: webgl2, webgl, wasm or js. */
  readonly label: string;
  /** Why this backend, when that is worth saying. */
  readonly note?: EngineNote;
  forward: Engine['forward'];
  backward: Engine['backward'];
}

/** A sentence for the corner; `warning` when something the user may want did not work (missing, lost, failed). */
export interface EngineNote {
  text: string;
  warning: boolean;
}

export function labelOf(name: Candidate): string {
  return settingOf(name);
}

/** The candidate a setting forces; undefined for `auto` and for anything that is not a setting value. */
export function forcedCandidate(setting: string | undefined): Candidate | undefined {
  return setting === 'auto' ? undefined : CANDIDATES.find((c) => labelOf(c) === setting);
}

/** The plain-JS kernels: correct everywhere, used until (and unless) the chooser hands over another backend. */
export function jsLabEngine(note?: EngineNote): LabEngine {
  return { label: 'js', note, forward: jsEngine.forward, backward: jsEngine.backward };
}

const JS_TAIL = 'the lab runs on the plain-JS kernels (same results, on the CPU).';

/** Why a probe could not be used, as the end of a sentence; `who` prefixes the detail. */
function whyNot(p: Probe | undefined, who = ''): string {
  if (!p || p.status === 'unavailable') return 'is not available here';
  if (p.status === 'incorrect') return `failed its check against the reference (${who}${p.error ?? 'mismatch'})`;
  return `failed (${who}${p.error ?? 'error'})`;
}

/**
 * What the corner says about the chooser's decision, from its reason and its probes: nothing
 * when the preferred or a faster backend runs on GPU or wasm; for js, whether WebGL (webgl2 and
 * webgl together) and wasm were not available, failed their check, or were slower; for a forced
 * backend that cannot run, why and what runs instead; for a switch, what happened.
 */
export function explainChoice(chosen: Candidate, reason: ChoiceReason, probes: readonly Probe[]): EngineNote | undefined {
  switch (reason.kind) {
    case 'forced':
      return undefined;
    case 'forcedUnavailable':
      return {
        text: `${labelOf(reason.wanted)} is the rnnLens.lab.backend setting, but it ${whyNot(probes.find((p) => p.name === reason.wanted))}: the lab runs on ${labelOf(chosen)}.`,
        warning: true,
      };
    case 'contextLost':
      return { text: `WebGL context lost: switched to ${labelOf(chosen)}.`, warning: true };
    case 'failed':
      return { text: `${labelOf(reason.from)} failed (${reason.error}): switched to ${labelOf(chosen)}.`, warning: true };
    case 'preferred':
    case 'faster':
      break;
  }
  if (chosen !== 'js') return undefined;
  const js = probes.find((p) => p.name === 'js');
  const missing: string[] = [];
  const reasons: string[] = [];
  let warning = false;
  for (const [what, group] of [
    ['WebGL', probes.filter((p) => p.name.startsWith('gpu:'))],
    ['WebAssembly', probes.filter((p) => p.name === 'wasm')],
  ] as const) {
    if (group.length === 0) continue;
    if (group.every((p) => p.status === 'unavailable')) {
      missing.push(what);
      continue;
    }
    const best = group.filter((p) => p.correct).sort((a, b) => a.ms - b.ms)[0];
    if (best && js && Number.isFinite(best.ms) && Number.isFinite(js.ms)) {
      reasons.push(`js was faster than ${labelOf(best.name)} (${js.ms.toFixed(1)} ms vs ${best.ms.toFixed(1)} ms at the demo size)`);
    } else if (!best) {
      const wrong = group.find((p) => p.status !== 'unavailable') ?? group[0];
      reasons.push(`${what} ${whyNot(wrong, `${labelOf(wrong.name)}: `)}`);
      warning = true;
    }
  }
  if (missing.length > 0) {
    reasons.unshift(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not available here`);
    warning = true;
  }
  return reasons.length === 0 ? undefined : { text: `${reasons.join('; ')}: ${JS_TAIL}`, warning };
}

function wrap(sw: BackendSwitch): LabEngine {
  return {
    label: labelOf(sw.name),
    note: explainChoice(sw.name, sw.reason, sw.probes),
    forward: (...a) => sw.forward(...a),
    backward: (...a) => sw.backward(...a),
  };
}

/**
 * Starts the chooser, forcing the backend the setting names (`auto`: the chooser decides);
 * `onEngine` gets the chosen backend once probed, and again whenever it changes (WebGL context
 * lost). Failures of the chooser itself leave the lab on js, said so.
 */
export function startEngine(setting: string | undefined, onEngine: (engine: LabEngine) => void): void {
  let sw: BackendSwitch | undefined;
  chooseBackend({
    force: forcedCandidate(setting),
    canvas: () => document.createElement('canvas'),
    onChange: () => {
      // The first call comes from inside chooseBackend, before it returns: `sw` is not set yet.
      if (sw) onEngine(wrap(sw));
    },
  }).then((chosen) => {
    sw = chosen;
    onEngine(wrap(chosen));
  }, (err: unknown) => {
    onEngine(jsLabEngine({ text: `Backend probe failed (${errorText(err)}): ${JS_TAIL}`, warning: true }));
  });
}
