// Words that are ordinary English or everyday code vocabulary: a term made only of them is
// weak ("state", "cell state", "batch_first", "hidden_size" all occur in code that has nothing
// to do with RNNs). Keep this list about meaning, not about the current deck.

export const ORDINARY_WORDS = new Set([
  'activation', 'adam', 'alignment', 'attention', 'audio', 'backward', 'batch', 'beam', 'bias', 'biases',
  'bidirectional', 'blank', 'candidate', 'carry', 'cell', 'cells', 'chunk', 'clip', 'clipping',
  'collapse', 'context', 'conv', 'decoder', 'dense', 'decoding', 'detach', 'dropout', 'embedding', 'encoder', 'epoch',
  'first', 'forget', 'forward', 'global', 'grad', 'frame', 'frames', 'gate', 'gated', 'gates', 'gating',
  'gradient', 'gradients', 'graph', 'greedy', 'hidden', 'highway', 'identity', 'input', 'inputs',
  'jacobian', 'latency', 'layer', 'layers', 'linear', 'logits', 'loss', 'mask', 'masking', 'matrix', 'mechanism', 'memory',
  'model', 'module', 'network', 'norm', 'orthogonal', 'output', 'outputs', 'pack', 'packed',
  'padding', 'parallelism', 'parameter', 'parameters', 'perplexity', 'recurrence', 'recurrent', 'relu', 'reset', 'residual',
  'saturation', 'search', 'sequence', 'sequences', 'sequential', 'sgd', 'sigmoid', 'skip', 'softmax', 'spectral',
  'size', 'state', 'stateful', 'states', 'step', 'steps', 'streaming', 'tagging', 'tanh', 'time',
  'token', 'tokens', 'transformer', 'transformers', 'truncation', 'unit', 'units', 'unroll',
  'unrolled', 'unrolling', 'update', 'vector', 'vocab', 'weight', 'weights', 'window',
  // glue words of phrases and parameter names
  'joint', 'prediction', 'prefix', 'path', 'constant', 'maximum', 'minimum',
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'by', 'for', 'per', 'through', 'num', 'n', 'is', 'use',
  'return', 'last', 'length', 'lengths', 'dim', 'features', 'out', 'init', 'initial', 'get', 'set',
  // framework vocabulary that is not RNN-specific (Dense layers, VAEs and GANs use it too)
  'detach', 'embed', 'embeddings', 'initializer', 'kernel', 'latent', 'predictor', 'seq',
  // GPU libraries every network uses
  'cudnn', 'cu', 'dnn', 'backends',
]);

/** Keys this short are initials or maths symbols (`h`, `ct`): too ambiguous without context. */
export const MIN_STRONG_KEY_LENGTH = 3;
