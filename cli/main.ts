// The `rnn-lens` command line (Node only): lint, import, export, terms, inspect, diff, train (cli/train.ts). `cli/index.ts` runs it.
// Every failure is one line on stderr and a non-zero exit, never a stack trace:
//   0  success (warnings allowed)
//   1  the deck or the input has errors (lint errors, a card that would not parse, no cards), or a
//      checkpoint refused (damaged, hostile, not a state_dict, over the read budget, no recurrent layer)
//   2  bad arguments or a file that cannot be opened, read or written
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import bundled from 'rnn-lens:bundled-deck';
import { BUNDLED_DECKS, type DeckDiagnostic } from '../src/deck/card';
import { DEFAULT_ANKI_DECK, exportAnki } from '../src/deck/anki';
import { lintDeck, type DeckFile } from '../src/deck/lint';
import { oneLine } from '../src/deck/escape';
import { cardTooLarge, MAX_CARD_CHARS } from '../src/deck/limits';
import { importSeed, toMarkdown } from '../src/deck/seed';
import { buildTermIndex, languageOfPath, MAX_SCAN_CHARS, scanTerms } from '../src/deck/terms';
import { type CheckpointContents, CheckpointError, readCheckpointFrom } from '../engine/checkpoint';
import { diffCheckpoints } from '../engine/summaries/diff';
import { gateSummaries, layerLabel, memoryBias, parameterCount, SIGMA_MAX_H, SPECTRUM_MAX_H } from '../engine/summaries/inspect';
import { openFileSource } from './fileSource';
import { readRegularBytes, readRegularFile } from './readFile';
import { TRAIN_USAGE, TrainError, trainCommand } from './train';

/** The largest seed file `import` reads, and the largest source file `terms` reads. */
export const MAX_SEED_BYTES = 16 * 1024 * 1024;
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
}

export const USAGE = `rnn-lens — the RNN Lens deck tool

Usage:
  rnn-lens lint [paths...]                 check card files (default: the bundled decks, cards/ and
                                           cards/practice/, which must cite a source); a folder means its *.md
  rnn-lens import FILE [--out DIR] [--json] [--force]
                                           read the seed text format; --json prints the cards as JSON,
                                           --out writes one Markdown card per card (--force overwrites)
  rnn-lens export --anki FILE.tsv [--deck NAME] [paths...]
                                           write the cards (default: the bundled decks) as an Anki import file
                                           into the Anki deck NAME (default "${DEFAULT_ANKI_DECK}")
  rnn-lens terms FILE                      list the RNN terms the hover finds in a source file
  rnn-lens inspect FILE [--json]           the recurrent layers of a checkpoint (.pt, .pth, .ckpt, TorchScript,
                                           .safetensors or its .index.json, .npz, .onnx, TF.js model.json):
                                           shapes, W_hh spectrum per gate, mean forget bias; only the
                                           recurrent tensors are read, whatever the file's size
  rnn-lens diff A B [--json]               what changed between two checkpoints' recurrent layers: per
                                           gate and matrix ‖B−A‖/‖A‖, spectral radius and forget bias
                                           before and after
${TRAIN_USAGE}
  rnn-lens --help | --version

Exit status: 0 ok, 1 problems in the deck or input (for inspect and diff: a checkpoint refused, or no
recurrent layer in it; for train: any failure), 2 bad arguments or files that cannot be opened.`;

/** A one-line, user-facing failure: printed as `rnn-lens: message`, exit code attached. */
export class CliError extends Error {
  constructor(message: string, readonly code = 2) {
    super(message);
  }
}

export function main(argv: readonly string[], version: string, io: CliIO): number {
  try {
    return run(argv, version, io);
  } catch (err) {
    if (err instanceof TrainError) {
      io.err(`rnn-lens: ${oneLine(err.message)}`);
      return 1;
    }
    if (err instanceof CliError) {
      io.err(`rnn-lens: ${oneLine(err.message)}`);
      return err.code;
    }
    // An unexpected failure is still one line: the user gets the reason, not our stack.
    io.err(`rnn-lens: ${oneLine(err instanceof Error && err.message ? err.message.split('\n')[0] : 'an unexpected error')}`);
    return 2;
  }
}

function run(argv: readonly string[], version: string, io: CliIO): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    if (command === undefined) {
      io.err(USAGE);
      return 2;
    }
    io.out(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-V' || command === '-v') {
    io.out(version);
    return 0;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  switch (command) {
    case 'lint':
      return lint(parseArgs(rest, [], []).positional, io);
    case 'import':
      return importCommand(rest, io);
    case 'export':
      return exportCommand(rest, io);
    case 'terms':
      return termsCommand(rest, io);
    case 'inspect':
      return inspectCommand(rest, io);
    case 'diff':
      return diffCommand(rest, io);
    case 'train':
      return trainCommand(rest, io);
    default:
      throw new CliError(`unknown command '${command}' (run rnn-lens --help)`);
  }
}

interface ParsedArgs {
  positional: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

/** Strict: an unknown option is an error, so a typo never silently does something else. */
function parseArgs(args: readonly string[], flags: readonly string[], valued: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positional: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (valued.includes(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined || value === '') throw new CliError(`${name} needs a value`);
        out.values.set(name, value);
      } else if (flags.includes(name) && eq < 0) {
        out.flags.add(name);
      } else {
        throw new CliError(`unknown option '${a}' (run rnn-lens --help)`);
      }
      continue;
    }
    out.positional.push(a);
  }
  return out;
}

function errnoMessage(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'not a directory';
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

/** A regular file of at most maxBytes, as text; anything else is a one-line error (exit 2). */
function readText(path: string, io: CliIO, maxBytes: number): string {
  const r = readFile(path, io, maxBytes);
  if (!r.ok) throw new CliError(`cannot read ${oneLine(path)}: ${r.message}`);
  return r.text;
}

function readFile(path: string, io: CliIO, maxBytes: number): ReturnType<typeof readRegularFile> {
  try {
    return readRegularFile(resolve(io.cwd, path), maxBytes);
  } catch (err) {
    throw new CliError(`cannot read ${oneLine(path)}: ${errnoMessage(err)}`);
  }
}

/** A card file, or (when it is over the card size cap) the diagnostic that leaves it out. */
function readCardFile(path: string, io: CliIO, files: DeckFile[], problems: DeckDiagnostic[], deck?: string): void {
  const r = readFile(path, io, MAX_CARD_CHARS);
  if (r.ok) files.push(deck ? { path, text: r.text, deck } : { path, text: r.text });
  else if (r.reason === 'too-large') problems.push(cardTooLarge(path, r.size));
  else throw new CliError(`cannot read ${oneLine(path)}: ${r.message}`);
}

/**
 * Card files named by the arguments: files as given, folders as their *.md (sorted). With no
 * argument, the bundled decks' folders (BUNDLED_DECKS), held to those decks' rules (`source`);
 * folders named explicitly are linted as user decks are.
 */
function collectCardFiles(paths: readonly string[], io: CliIO): { files: DeckFile[]; problems: DeckDiagnostic[] } {
  const files: DeckFile[] = [];
  const problems: DeckDiagnostic[] = [];
  const bundledDeck = new Map<string, string>(paths.length > 0 ? [] : BUNDLED_DECKS.map((d) => [d.dir, d.id]));
  for (const p of paths.length > 0 ? paths : [...bundledDeck.keys()]) {
    let isDir: boolean;
    try {
      isDir = statSync(resolve(io.cwd, p)).isDirectory();
    } catch (err) {
      throw new CliError(`cannot read ${oneLine(p)}: ${errnoMessage(err)}`);
    }
    if (!isDir) {
      readCardFile(p, io, files, problems);
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(resolve(io.cwd, p)).filter((n) => n.endsWith('.md')).sort();
    } catch (err) {
      throw new CliError(`cannot read ${oneLine(p)}: ${errnoMessage(err)}`);
    }
    if (names.length === 0) throw new CliError(`no card files (*.md) in ${oneLine(p)}`, 1);
    const dir = p.replace(/[\\/]+$/, '');
    for (const n of names) readCardFile(`${dir}/${n}`, io, files, problems, bundledDeck.get(p));
  }
  return { files, problems };
}

/** One line per diagnostic, whatever the file name or message holds. */
export function formatDiagnostic(d: DeckDiagnostic): string {
  return oneLine(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
}

function sortDiagnostics(ds: readonly DeckDiagnostic[]): DeckDiagnostic[] {
  return [...ds].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function lint(paths: readonly string[], io: CliIO): number {
  const { files, problems } = collectCardFiles(paths, io);
  const result = lintDeck(files);
  const diagnostics = [...problems, ...result.diagnostics];
  for (const d of sortDiagnostics(diagnostics)) io.out(formatDiagnostic(d));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const left = files.length + problems.length - result.cards.length;
  io.out(`${plural(result.cards.length, 'card')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}` +
    (left > 0 ? ` (${plural(left, 'file')} left out)` : ''));
  return errors > 0 ? 1 : 0;
}

function importCommand(args: readonly string[], io: CliIO): number {
  const a = parseArgs(args, ['--json', '--force'], ['--out']);
  if (a.positional.length !== 1) {
    throw new CliError(a.positional.length === 0 ? 'import needs a seed file: rnn-lens import FILE --json | --out DIR' : `import takes one file, got ${a.positional.length}`);
  }
  const outDir = a.values.get('--out');
  const json = a.flags.has('--json');
  if (!outDir && !json) {
    throw new CliError('import: say what to do with the cards: --json prints them, --out DIR writes one Markdown card per card');
  }
  const file = a.positional[0];
  const result = importSeed(readText(file, io, MAX_SEED_BYTES), file);
  for (const d of result.diagnostics) io.err(formatDiagnostic(d));
  if (result.cards.length === 0) throw new CliError(`no cards found in ${oneLine(file)}`, 1);
  if (json) {
    const cards = result.cards.map(({ id, question, answer, tags, level, kind }) => ({ id, question, answer, tags, level, kind }));
    io.out(JSON.stringify(cards, null, 2));
  }
  if (outDir) return writeCards(result.cards, outDir, a.flags.has('--force'), io);
  return 0;
}

function writeCards(cards: ReturnType<typeof importSeed>['cards'], outDir: string, force: boolean, io: CliIO): number {
  const texts = cards.map((c) => ({ path: `${outDir.replace(/[\\/]+$/, '')}/${c.id}.md`, text: toMarkdown(c) }));
  // What we write must load: lint it first, in memory.
  const check = lintDeck(texts);
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    for (const d of errors) io.err(formatDiagnostic(d));
    throw new CliError(`not written: ${plural(errors.length, 'card')} would not load (see above)`, 1);
  }
  try {
    mkdirSync(resolve(io.cwd, outDir), { recursive: true });
  } catch (err) {
    throw new CliError(`cannot create ${outDir}: ${errnoMessage(err)}`);
  }
  let written = 0;
  for (const t of texts) {
    const full = resolve(io.cwd, t.path);
    if (!force && existsSync(full)) {
      io.err(`${t.path}: exists, not overwritten (pass --force to overwrite)`);
      continue;
    }
    try {
      writeFileSync(full, t.text);
      written++;
    } catch (err) {
      throw new CliError(`cannot write ${t.path}: ${errnoMessage(err)}`);
    }
  }
  io.err(`wrote ${plural(written, 'card')} to ${outDir}`);
  return 0;
}

function exportCommand(args: readonly string[], io: CliIO): number {
  const a = parseArgs(args, [], ['--anki', '--deck']);
  const target = a.values.get('--anki');
  if (!target) throw new CliError('export needs a format and a file: rnn-lens export --anki FILE.tsv [--deck NAME] [paths...]');
  const deckName = a.values.get('--deck') ?? DEFAULT_ANKI_DECK;
  if (deckName.trim() === '' || oneLine(deckName) !== deckName) throw new CliError('--deck needs a name on one line');
  const { files, problems } = collectCardFiles(a.positional, io);
  const result = lintDeck(files);
  const diagnostics = [...problems, ...result.diagnostics];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of sortDiagnostics(diagnostics)) io.err(formatDiagnostic(d));
  if (errors.length > 0) throw new CliError(`not exported: the deck has ${plural(errors.length, 'error')} (see above)`, 1);
  try {
    writeFileSync(resolve(io.cwd, target), exportAnki(result.cards, { deck: deckName }));
  } catch (err) {
    throw new CliError(`cannot write ${target}: ${errnoMessage(err)}`);
  }
  io.err(`exported ${plural(result.cards.length, 'card')} to ${target}`);
  return 0;
}

function termsCommand(args: readonly string[], io: CliIO): number {
  const a = parseArgs(args, [], []);
  if (a.positional.length !== 1) {
    throw new CliError(a.positional.length === 0 ? 'terms needs a source file: rnn-lens terms FILE' : `terms takes one file, got ${a.positional.length}`);
  }
  const text = readText(a.positional[0], io, MAX_SOURCE_BYTES);
  const index = buildTermIndex(bundled.cards);
  const scan = scanTerms(index, text, { language: languageOfPath(a.positional[0]) });
  for (const t of scan.terms) {
    io.out(`${t.line}:${t.column}  ${t.term}  ${t.cardIds[0] ?? ''}`);
  }
  if (scan.truncated) io.err(`rnn-lens: ${a.positional[0]} is longer than ${MAX_SCAN_CHARS.toLocaleString('en')} characters; listed the terms of its first ${scan.scannedChars.toLocaleString('en')}`);
  return 0;
}

const num = (v: number | null, digits = 4): string => (v === null ? 'n/a' : v.toPrecision(digits));

function inspectCommand(args: readonly string[], io: CliIO): number {
  const a = parseArgs(args, ['--json'], []);
  if (a.positional.length !== 1) {
    throw new CliError(a.positional.length === 0 ? 'inspect needs a checkpoint: rnn-lens inspect FILE [--json]' : `inspect takes one file, got ${a.positional.length}`);
  }
  const file = a.positional[0];
  const { contents, size, bytesRead } = readCheckpointFile(file, io);
  const layers = contents.layers.map((l) => {
    const bias = memoryBias(l);
    return {
      name: l.name, layer: l.layer, reverse: l.reverse, cell: l.cell, inputSize: l.D, hiddenSize: l.H,
      parameters: parameterCount(l),
      ...(l.activation ? { activation: l.activation } : {}),
      gates: gateSummaries(l).map((g) => ({ gate: g.key, name: g.name, sigmaMax: g.sigmaMax, spectralRadius: g.radius })),
      ...(bias ? { memory: { gate: bias.gate, meanBias: bias.mean, keptPerStep: bias.keep, halfLifeSteps: Number.isFinite(bias.halfLife) ? bias.halfLife : null } } : {}),
      bias,
    };
  });
  if (a.flags.has('--json')) {
    io.out(JSON.stringify({
      file, size, bytesRead,
      layers: layers.map(({ bias: _bias, ...l }) => l),
      warnings: contents.warnings,
    }, null, 2));
  } else {
    for (const l of layers) {
      io.out(oneLine(`${layerLabel(l)}: input ${l.inputSize}, hidden ${l.hiddenSize}, ${l.parameters} parameters`));
      for (const g of l.gates) {
        io.out(`  W_hh ${g.gate.padEnd(2)} ${g.name.padEnd(12)} σ_max ${num(g.sigmaMax)}  spectral radius ${num(g.spectralRadius)}`);
      }
      if (l.bias) io.out(`  ${l.bias.sentence}`);
    }
    for (const w of contents.warnings) io.err(`warning: ${oneLine(w)}`);
    if (layers.some((l) => l.hiddenSize > SPECTRUM_MAX_H)) {
      io.err(`note: the spectral radius is computed up to H = ${SPECTRUM_MAX_H} and σ_max up to H = ${SIGMA_MAX_H}`);
    }
    io.out(`${plural(layers.length, 'recurrent layer')} (each direction counted); a file of ${bytes(size)}, of which the reads took ${bytes(bytesRead)}`);
  }
  return layers.length > 0 ? 0 : 1;
}

/** Files a checkpoint names beside it are read whole: at most this many bytes each. */
const MAX_SIBLING_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/** A checkpoint file's recurrent layers, the files it names read from its folder; a refusal is exit 1, I/O exit 2. */
function readCheckpointFile(file: string, io: CliIO): { contents: CheckpointContents; size: number; bytesRead: number } {
  const path = resolve(io.cwd, file);
  let src: ReturnType<typeof openFileSource>;
  try {
    src = openFileSource(path);
  } catch (err) {
    throw new CliError(`cannot read ${oneLine(file)}: ${err instanceof CheckpointError ? err.message : errnoMessage(err)}`);
  }
  let siblingBytes = 0;
  const sibling = (name: string): Uint8Array | undefined => {
    const p = join(dirname(path), name);
    if (!existsSync(p)) return undefined;
    const r = readRegularBytes(p, MAX_SIBLING_BYTES);
    if (!r.ok) throw new CheckpointError(`${oneLine(name)} (beside it) ${r.message}`);
    siblingBytes += r.bytes.length;
    return r.bytes;
  };
  try {
    const contents = readCheckpointFrom(src, file, { sibling });
    return { contents, size: src.size, bytesRead: src.bytesRead + siblingBytes };
  } catch (err) {
    // A refusal is about the file's contents (exit 1); only an I/O failure is exit 2.
    if (err instanceof CheckpointError) throw new CliError(`${oneLine(file)}: ${err.message}`, 1);
    if (typeof (err as { code?: unknown }).code === 'string') throw new CliError(`cannot read ${oneLine(file)}: ${errnoMessage(err)}`);
    throw new CliError(`${oneLine(file)}: cannot be read (${err instanceof Error && err.message ? err.message.split('\n')[0] : 'an unexpected error'})`, 1);
  } finally {
    src.close();
  }
}

const pct = (v: number | null): string => (v === null ? 'new' : `${(100 * v).toFixed(v < 0.01 ? 2 : 1)}%`);

function diffCommand(args: readonly string[], io: CliIO): number {
  const a = parseArgs(args, ['--json'], []);
  if (a.positional.length !== 2) throw new CliError('diff needs two checkpoints: rnn-lens diff A B [--json]');
  const [fileA, fileB] = a.positional;
  const A = readCheckpointFile(fileA, io).contents;
  const B = readCheckpointFile(fileB, io).contents;
  for (const [f, c] of [[fileA, A], [fileB, B]] as const) {
    if (c.layers.length === 0) throw new CliError(`${oneLine(f)}: ${c.warnings.at(-1) ?? 'no recurrent layer found'}`, 1);
  }
  const d = diffCheckpoints(A.layers, B.layers);
  if (a.flags.has('--json')) {
    io.out(JSON.stringify({ a: fileA, b: fileB, ...d }, null, 2));
  } else {
    for (const l of d.layers) {
      if (l.mismatch) {
        io.out(oneLine(`${l.label}: not compared (${l.mismatch})`));
        continue;
      }
      io.out(oneLine(`${l.label}: spectral radius ${num(l.spectralRadius.before)} → ${num(l.spectralRadius.after)}` +
        (l.forgetBias ? `, mean ${l.forgetBias.gate} bias ${num(l.forgetBias.before)} → ${num(l.forgetBias.after)}` : '')));
      const byGate = new Map<string, string[]>();
      for (const g of l.gates) byGate.set(g.gate, [...(byGate.get(g.gate) ?? []), `${g.matrix} ${pct(g.relChange)}`]);
      for (const [gate, parts] of byGate) io.out(`  ${gate.padEnd(3)} ${parts.join('  ')}`);
    }
    for (const l of d.onlyInA) io.out(oneLine(`only in ${fileA}: ${l}`));
    for (const l of d.onlyInB) io.out(oneLine(`only in ${fileB}: ${l}`));
    io.out(`${plural(d.layers.length, 'layer')} compared (relative change ‖B−A‖/‖A‖ per gate and matrix)`);
  }
  return d.layers.length > 0 ? 0 : 1;
}

function bytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}
