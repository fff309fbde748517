// The document's topic: whether it is about recurrent networks (which lets weak terms match in
// it), whether about modern recurrent models, and which frameworks it imports.

/**
 * Evidence that a text is about recurrent networks: the names of the architectures and of the
 * APIs that build them. Upper-case names also count inside identifiers (`CharLSTM`, `BiGRU`);
 * lower-case ones must stand as words (`lstm_out`, `rnn.`), so `grunt` or `grub` do not count.
 */
const RNN_EVIDENCE = new RegExp(
  [
    String.raw`(?:LSTM|GRU|RNN|BPTT)`,
    String.raw`(?<![A-Za-z])(?:lstm|gru|rnn|bptt|seq2seq|elman)(?![a-z])`,
    String.raw`(?<![A-Za-z])(?:Lstm|Gru|Rnn|Seq2Seq|Seq2seq|Elman)(?![a-z])`,
    // "recurrent" alone is also billing vocabulary; Keras' recurrent_dropout & co. are not.
    String.raw`(?<![A-Za-z])[Rr]ecurrent[ _]?(?:[Nn]eural|[Nn]et|[Ll]ayer|[Uu]nit|[Cc]ell|[Dd]ropout|[Ww]eight|[Kk]ernel|[Ss]tate|[Aa]ctivation|[Ii]nitializer|[Rr]egularizer|[Cc]onstraint|[Cc]onnection|[Mm]odel)`,
    String.raw`(?<![A-Za-z])(?:[Ff]orget[_ -]?[Gg]ate|[Bb]ackpropagation[ -][Tt]hrough[ -][Tt]ime)`,
    // Sequence losses and decoders that RNN cards explain (CTC, the transducer).
    String.raw`(?<![A-Za-z])(?:CTC|ctc(?=[_.dD])|[Cc]onnectionist [Tt]emporal|[Tt]ransducer)(?![a-z])`,
  ].join('|'),
);

/**
 * Evidence that a text is about modern recurrent models: state-space models, linear recurrences
 * and the gated variants named after the classic cells.
 */
const MODERN_EVIDENCE = new RegExp(
  [
    String.raw`(?<![A-Za-z])(?:[Mm]amba\d?|MAMBA|mamba_ssm|RWKV|[Rr]wkv|RetNet|MultiScaleRetention|xLSTM|mLSTM|sLSTM|minGRU|minLSTM|RG-?LRU|RGLRU|RecurrentGemma|Griffin|Hawk)(?![a-z])`,
    String.raw`(?<![A-Za-z])(?:[Ss]tate[ -][Ss]pace [Mm]odels?|[Ss]elective[ _][Ss]can|[Ll]inear [Rr]ecurren(?:ce|t [Uu]nit)|selective_scan)`,
  ].join('|'),
);

/** Imports (or, in prose, the usual import lines) that say which framework a text uses. */
const FRAMEWORK_EVIDENCE: readonly [string, RegExp][] = [
  ['pytorch', /\b(?:import|from)\s+torch\b|#include\s*<torch\/|\btorch::|\blibrary\(torch\)|\bnn_module\(|\btorch_(?:empty|zeros|ones|randn|tensor)\(|\buse\s+tch\b/],
  ['keras', /\b(?:import|from)\s+(?:tensorflow|keras|tf_keras)\b|\blibrary\(keras3?\)|\bkeras\.layers\b/],
  ['tensorflow', /\b(?:import|from)\s+tensorflow\b|\btf\.(?:nn|keras|contrib|compat)\b/],
  ['tfjs', /@tensorflow\/tfjs|\btf\.layers\.\w+\(/],
  ['flax', /\b(?:import|from)\s+flax\b/],
  ['jax', /\b(?:import|from)\s+jax\b/],
  ['flux', /\b(?:using|import)\s+(?:[\w.]+\s*,\s*)*Flux\b|\bFlux\.\w/],
  ['torchaudio', /\b(?:import|from)\s+torchaudio\b/],
  ['mxnet', /\b(?:import|from)\s+mxnet\b/],
];

/**
 * Whether a document is about RNNs, so that ordinary words (gate, state, cell, attention) may
 * be terms in it. One regular-expression scan: the host computes it once per document version.
 */
export function isRnnContext(text: string): boolean {
  return documentTopic(text).rnn;
}

/** Addresses say nothing about a text's topic (`github.com/karpathy/char-rnn` in a GPT script). */
const URL = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s<>"'`()[\]]*/g;

export interface DocumentTopic {
  rnn: boolean;
  modern: boolean;
  /** Undefined when the text shows no framework at all (a snippet): then no framework term is ruled out. */
  frameworks?: string[];
  /** Names bound to imported modules: `import stateful`, `import numpy as np`, `from mxnet.gluon import rnn`, `use tch::nn`. */
  modules?: string[];
  /**
   * Parameters of the recurrent layers the text defines (R: `nn_gru <- nn_module("nn_gru",
   * initialize = function(input_size, hidden_size, dropout = 0) …)`, `layer_lstm <- function(object,
   * units, dropout = 0)`): in the layer's own source these names are its arguments.
   */
  layerParams?: string[];
}

/**
 * Python's `import a.b`, `import a as b`, `from p import m` (a lower-case name: a module, not a
 * class), Rust's `use a::b;` and JavaScript's `import * as tf` / `const brain = require(...)`.
 */
const MODULE_IMPORT = /^[ \t]*(?:import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)[ \t]*$|from[ \t]+[\w.]+[ \t]+import[ \t]+\(?([\w \t,]+)\)?[ \t]*$|(?:pub[ \t]+)?use[ \t]+(?:\w+::)+(\w+)[ \t]*;|import[ \t]+\*[ \t]+as[ \t]+(\w+)|(?:const|let|var)[ \t]+(\w+)[ \t]*=[ \t]*require\()/gm;

function importedModules(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(MODULE_IMPORT)) {
    if (m[1]) for (const part of m[1].split(',')) names.add(/\bas\s+(\w+)/.exec(part)?.[1] ?? part.trim().split('.')[0]);
    if (m[2]) for (const part of m[2].split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if (/^[a-z][a-z0-9_]*$/.test(name)) names.add(alias ?? name);
    }
    for (const k of [3, 4, 5]) if (m[k]) names.add(m[k]);
  }
  return [...names];
}

/**
 * An R definition of a recurrent layer: a name with an architecture's name as one of its words,
 * bound to a torch module (its `initialize`'s parameters) or to a function (its parameters).
 */
const R_LAYER_DEFINITION = /^[ \t]*([A-Za-z][\w.]*)[ \t]*<-[ \t]*(?:nn_module\((?:[^()]|\([^()]*\))*?initialize[ \t]*=[ \t]*)?function[ \t]*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/gm;

function rLayerParams(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(R_LAYER_DEFINITION)) {
    if (!m[1].split(/[._]/).some((w) => /^(?:bi)?(?:lstm|gru|rnn)(?:cell)?$/i.test(w))) continue;
    for (const param of m[2].split(',')) {
      const name = /^\s*([A-Za-z][\w.]*)/.exec(param)?.[1];
      if (name) names.add(name.toLowerCase());
    }
  }
  return [...names];
}

/** isRnnContext, whether the text is about modern recurrent models, and the frameworks it imports. */
export function documentTopic(text: string): DocumentTopic {
  if (text.includes('://')) text = text.replace(URL, ' ');
  const modern = MODERN_EVIDENCE.test(text);
  const frameworks = FRAMEWORK_EVIDENCE.filter(([, re]) => re.test(text)).map(([name]) => name);
  const layerParams = text.includes('<-') && text.includes('function') ? rLayerParams(text) : [];
  const modules = text.includes('import') || text.includes('use ') || text.includes('require(') ? importedModules(text) : [];
  return {
    rnn: modern || RNN_EVIDENCE.test(text), modern,
    frameworks: frameworks.length > 0 ? frameworks : undefined,
    modules: modules.length > 0 ? modules : undefined,
    layerParams: layerParams.length > 0 ? layerParams : undefined,
  };
}

/** The VS Code language id an editor gives a file, from its name (a notebook: its cells' language, Python). */
export function languageOfPath(path: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1].toLowerCase() ?? '';
  return LANGUAGE_BY_EXTENSION[ext] ?? 'plaintext';
}

const LANGUAGE_BY_EXTENSION: Record<string, string> = {
  py: 'python', ipynb: 'python', jl: 'julia', r: 'r', rs: 'rust', js: 'javascript', mjs: 'javascript', cjs: 'javascript',
  ts: 'typescript', tsx: 'typescriptreact', jsx: 'javascriptreact', c: 'c', h: 'c', cpp: 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp',
  cuh: 'cuda-cpp', cu: 'cuda-cpp', inc: 'cpp', md: 'markdown', rmd: 'rmd', txt: 'plaintext',
};
