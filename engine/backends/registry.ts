// Every backend the lab's chooser can pick, declared once, in the order of preference: the
// chooser's candidates, the gpu backend's WebGL modes and the lab's backend setting values are
// read from here.

export const BACKEND_SPECS = [
  { id: 'gpu:webgl2', setting: 'webgl2', gpuMode: 'webgl2' },
  { id: 'gpu:webgl', setting: 'webgl', gpuMode: 'webgl' },
  { id: 'wasm', setting: 'wasm', gpuMode: null },
  { id: 'js', setting: 'js', gpuMode: null },
] as const;

type Spec = (typeof BACKEND_SPECS)[number];

/** A backend the chooser may pick. */
export type Candidate = Spec['id'];

/** The value of the rnnLens.lab.backend setting that forces a candidate. */
export type BackendSetting = Spec['setting'];

/** A WebGL version the gpu backend runs on. */
export type WebglMode = NonNullable<Spec['gpuMode']>;

/** Every candidate, in the order of preference. */
export const CANDIDATES: readonly Candidate[] = BACKEND_SPECS.map((b) => b.id);

/** The setting values that force a candidate, in the same order (`auto`, which forces none, is the lab's own). */
export const BACKEND_SETTINGS: readonly BackendSetting[] = BACKEND_SPECS.map((b) => b.setting);

/** The WebGL modes, best first: what the gpu backend tries where it has a canvas. */
export const WEBGL_MODES: readonly WebglMode[] = BACKEND_SPECS.flatMap((b) => (b.gpuMode ? [b.gpuMode] : []));

/** The gpu mode a candidate runs, or null for the CPU backends. */
export function gpuModeOf(c: Candidate): WebglMode | null {
  return BACKEND_SPECS.find((b) => b.id === c)?.gpuMode ?? null;
}

/** The setting value that forces a candidate. */
export function settingOf(c: Candidate): BackendSetting {
  return BACKEND_SPECS.find((b) => b.id === c)!.setting;
}
