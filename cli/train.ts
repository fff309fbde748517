// `rnn-lens train FILE --out X.safetensors`: trains the engine's stacked character LM
// (engine/train/charlm.ts) on a text file and writes it as safetensors in word_language_model's
// names (engine/export), which PyTorch's RNNModel loads with load_state_dict(strict=True).
// Progress goes to stderr; --json prints the result to stdout. Every failure is one line, exit 1.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportCharModel } from '../engine/export';
import { CHAR_LM_DEFAULTS, CHAR_LM_LIMITS, type CharLMConfig, createCharLM } from '../engine/train/charlm';
import { evalLoss } from '../engine/train/charNet';
import { oneLine } from '../src/deck/escape';
import type { CliIO } from './main';
import { readRegularFile } from './readFile';

/** The largest text file train reads (the model reads at most CHAR_LM_LIMITS.textChars characters of it). */
export const MAX_TRAIN_BYTES = 4 * 1024 * 1024;
/** Updates one run makes at most. */
export const MAX_TRAIN_STEPS = 1_000_000;
export const DEFAULT_TRAIN_STEPS = 500;

export const TRAIN_USAGE = `  rnn-lens train FILE --out X.safetensors [--cell lstm|gru|rnn] [--hidden H] [--layers L] [--steps N]
                 [--seed S] [--embedding E] [--batch B] [--bptt T] [--lr LR] [--clip C] [--backend js|wasm] [--json]
                                           train a character language model on a text file (at most
                                           ${CHAR_LM_LIMITS.textChars} characters) and write it as safetensors that PyTorch's
                                           word_language_model RNNModel loads (strict): Embedding(E) → L layers → Linear.
                                           Defaults: --cell ${CHAR_LM_DEFAULTS.cell} --hidden ${CHAR_LM_DEFAULTS.H} (at most ${CHAR_LM_LIMITS.H}) --layers ${CHAR_LM_DEFAULTS.layers} (at most ${CHAR_LM_LIMITS.layers})
                                           --steps ${DEFAULT_TRAIN_STEPS} --seed ${CHAR_LM_DEFAULTS.seed} --embedding ${CHAR_LM_DEFAULTS.embedding} --batch ${CHAR_LM_DEFAULTS.batch} --bptt ${CHAR_LM_DEFAULTS.bptt}
                                           --lr ${CHAR_LM_DEFAULTS.lr} (Adam) --clip ${CHAR_LM_DEFAULTS.clip} --backend wasm. Progress on stderr; --json prints
                                           {"evalLoss", "steps", "seconds", "vocab"}, evalLoss the mean next-character
                                           cross-entropy (nats) over the whole file read from a zero state. Errors exit 1.`;

/** A one-line failure of train (exit 1). */
export class TrainError extends Error {}

const VALUED = ['--out', '--cell', '--hidden', '--layers', '--steps', '--seed', '--embedding', '--batch', '--bptt', '--lr', '--clip', '--backend'];

function parse(args: readonly string[]): { file: string; values: Map<string, string>; json: boolean } {
  const values = new Map<string, string>();
  const files: string[] = [];
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (a === '--json') {
      json = true;
    } else if (VALUED.includes(name)) {
      const v = eq > 0 && name !== a ? a.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') throw new TrainError(`${name} needs a value`);
      values.set(name, v);
    } else if (a.startsWith('-') && a !== '-') {
      throw new TrainError(`unknown option '${a}' (run rnn-lens --help)`);
    } else {
      files.push(a);
    }
  }
  if (files.length !== 1) throw new TrainError(`train takes one text file, got ${files.length}`);
  if (!values.has('--out')) throw new TrainError('train needs --out X.safetensors');
  return { file: files[0], values, json };
}

function integer(values: Map<string, string>, name: string, fallback: number, lo: number, hi: number): number {
  const s = values.get(name);
  if (s === undefined) return fallback;
  const v = /^-?\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(v) || v < lo || v > hi) throw new TrainError(`${name} must be an integer from ${lo} to ${hi}, got '${oneLine(s.slice(0, 40))}'`);
  return v;
}

function real(values: Map<string, string>, name: string, fallback: number, lo: number, hi: number): number {
  const s = values.get(name);
  if (s === undefined) return fallback;
  const v = /^[0-9.eE+-]+$/.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(v) || v < lo || v > hi) throw new TrainError(`${name} must be a number from ${lo} to ${hi}, got '${oneLine(s.slice(0, 40))}'`);
  return v;
}

function choice<T extends string>(values: Map<string, string>, name: string, fallback: T, allowed: readonly T[]): T {
  const s = values.get(name);
  if (s === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(s)) throw new TrainError(`${name} must be ${allowed.join(', ')}; got '${oneLine(s.slice(0, 40))}'`);
  return s as T;
}

function readTrainText(path: string, io: CliIO): string {
  let r: ReturnType<typeof readRegularFile>;
  try {
    r = readRegularFile(resolve(io.cwd, path), MAX_TRAIN_BYTES);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new TrainError(`cannot read ${oneLine(path)}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : String(code ?? err)}`);
  }
  if (!r.ok) throw new TrainError(`cannot read ${oneLine(path)}: ${r.message}`);
  return r.text;
}

/** The train command; returns the exit status (throws TrainError for the one-line failures). */
export function trainCommand(args: readonly string[], io: CliIO): number {
  const { file, values, json } = parse(args);
  const steps = integer(values, '--steps', DEFAULT_TRAIN_STEPS, 1, MAX_TRAIN_STEPS);
  const config: CharLMConfig = {
    text: '',
    cell: choice(values, '--cell', CHAR_LM_DEFAULTS.cell, ['lstm', 'gru', 'rnn'] as const),
    H: integer(values, '--hidden', CHAR_LM_DEFAULTS.H, 1, CHAR_LM_LIMITS.H),
    layers: integer(values, '--layers', CHAR_LM_DEFAULTS.layers, 1, CHAR_LM_LIMITS.layers),
    embedding: integer(values, '--embedding', CHAR_LM_DEFAULTS.embedding, 1, CHAR_LM_LIMITS.embedding),
    batch: integer(values, '--batch', CHAR_LM_DEFAULTS.batch, 1, CHAR_LM_LIMITS.batch),
    bptt: integer(values, '--bptt', CHAR_LM_DEFAULTS.bptt, 1, CHAR_LM_LIMITS.bptt),
    lr: real(values, '--lr', CHAR_LM_DEFAULTS.lr, 1e-8, CHAR_LM_LIMITS.lr),
    clip: real(values, '--clip', CHAR_LM_DEFAULTS.clip, 0, CHAR_LM_LIMITS.clip),
    seed: integer(values, '--seed', CHAR_LM_DEFAULTS.seed, 0, 0xffffffff),
    backend: choice(values, '--backend', 'wasm', ['js', 'wasm'] as const),
  };
  config.text = readTrainText(file, io);
  const out = values.get('--out')!;
  const t0 = performance.now();
  let lm;
  try {
    lm = createCharLM(config);
  } catch (err) {
    throw new TrainError(err instanceof Error ? err.message : String(err));
  }
  const every = Math.max(1, Math.floor(steps / 20));
  const seconds = (): number => (performance.now() - t0) / 1000;
  for (let done = 0; done < steps;) {
    const n = Math.min(every, steps - done);
    const m = lm.step(n);
    done += n;
    io.err(`step ${done}/${steps}  loss ${m.loss.toFixed(4)}  ${seconds().toFixed(1)} s`);
  }
  const weights = lm.weights();
  const bytes = exportCharModel(weights);
  try {
    writeFileSync(resolve(io.cwd, out), bytes);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new TrainError(`cannot write ${oneLine(out)}: ${String(code ?? err)}`);
  }
  const loss = evalLoss(weights, config.text, lm.backend);
  const result = { evalLoss: loss, steps, seconds: seconds(), vocab: [...weights.vocab] };
  if (json) io.out(JSON.stringify(result));
  else io.out(`wrote ${oneLine(out)}: ${config.cell}, ${config.layers}×${config.H}, ${weights.vocab.length} characters; ${steps} steps in ${result.seconds.toFixed(1)} s; ${loss.toFixed(4)} nats per character over the file`);
  return 0;
}
