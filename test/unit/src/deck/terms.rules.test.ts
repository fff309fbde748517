// The matcher's rules for code it has never seen, one class of mistake each: terms inside longer
// names, spellings folded together, one framework's term in another language, module paths,
// prose words, classic cards on modern models, and the topic gate.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTermIndex, documentTopic, findTermsInText, splitAnnotations, termAt, type TermContext } from '../../../../src/deck/terms';
import { card } from './termsFixture';

const index = buildTermIndex([
  card('lstm-gates', ['LSTM', 'nn.LSTM', 'LSTMCell', 'forget gate @classic', 'input gate @classic', 'memory cell @classic', 'in_gate @classic']),
  card('gru-vs-lstm', ['GRU', 'nn.GRU', 'update gate @classic', 'z_gate @classic']),
  card('vanilla-rnn', ['RNN', 'nn.RNN', 'hidden state', 'hidden_size', 'weight_hh @api @pytorch', 'weight_ih @api @pytorch']),
  card('packed', ['pack_padded_sequence @api', 'seq_lengths']),
  card('sizes', ['hidden_dim', 'units @in-rnn', 'nlayers', 'n_layers']),
  card('outputs', ['h_n', 'c_n', 'lstm_out']),
  card('flux-reset', ['Flux.reset! @flux', 'reset! @julia @flux']),
  card('masking', ['keras.layers.Masking @keras', 'mask_zero']),
  card('dropout', ['dropout= @in-rnn', 'recurrent_dropout']),
  card('ctc', ['CTC', 'blank_id @api']),
  card('bidirectional', ['BiLSTM']),
]);
const RNN: TermContext = { rnn: true };

/** What a hover at the first `needle` of `line` shows: the matched text and the card. */
function shown(line: string, needle: string, ctx: TermContext = RNN, delta = 0): [string, string] | undefined {
  const i = line.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' not in '${line}'`);
  const m = termAt(index, line, i + delta, ctx);
  return m ? [line.slice(m.start, m.end), m.cardIds[0]] : undefined;
}

describe('identifier boundaries', () => {
  it('matches a name as a whole identifier, never glued into a longer one', () => {
    assert.deepEqual(shown('self.hidden_dim = hidden_dim', 'hidden_dim'), ['hidden_dim', 'sizes']);
    assert.deepEqual(shown('out = pack(x, seq_lengths)', 'seq_lengths'), ['seq_lengths', 'packed']);
    for (const [line, needle] of [
      ['def forward(self, word_inputs, word_seq_lengths):', 'seq_lengths'],
      ['max_encoder_seq_length = 20', 'seq_length'],
      ['x = data.HP_hidden_dim', 'hidden_dim'],
      ['batched_hidden_state = h', 'hidden_state'],
    ] as const) assert.equal(shown(line, needle), undefined, line);
  });
  it('takes documented affixes: a layer index and a direction', () => {
    assert.deepEqual(shown('w = lstm.weight_hh_l0', 'weight_hh'), ['weight_hh_l0', 'vanilla-rnn']);
    assert.deepEqual(shown('w = lstm.weight_ih_l1_reverse', 'weight_ih'), ['weight_ih_l1_reverse', 'vanilla-rnn']);
  });
  it('finds an architecture\'s name as one part of a longer identifier', () => {
    assert.deepEqual(shown('lstm_hidden = 128', 'lstm'), ['lstm', 'lstm-gates']);
    assert.deepEqual(shown('class CharLSTM(nn.Module):', 'LSTM'), ['LSTM', 'lstm-gates']);
    assert.deepEqual(shown('if self.bilstm_flag:', 'bilstm'), ['bilstm', 'bidirectional']);
    assert.deepEqual(shown('decoder = CTCBeamDecoder(labels)', 'CTC'), ['CTC', 'ctc']);
    assert.equal(shown('self.droplstm = nn.Dropout(p)', 'lstm'), undefined);
    // A numbered instance is the architecture too.
    assert.deepEqual(shown('self.lstm1 = nn.LSTMCell(1, 51)', 'lstm1'), ['lstm1', 'lstm-gates']);
  });
  it('reads a name spelled as one camel-cased token as one token however its capitals split it', () => {
    const idx = buildTermIndex([card('cudnn', ['cuDNN'])]);
    for (const line of ['# Second bias vector included for CuDNN compatibility.', 'use_fast = cuDNN']) {
      assert.deepEqual(findTermsInText(idx, line, { language: 'python' }).map((f) => f.term), [], line);
      assert.deepEqual(findTermsInText(idx, `lstm = nn.LSTM(2, 3)\n${line}`, { language: 'python' }).map((f) => `${f.line}:${f.term}`), ['2:cuDNN'], line);
    }
    assert.deepEqual(findTermsInText(idx, 'lstm = nn.LSTM(2, 3)\n# a cu dnn', { language: 'python' }), []);
  });
  it('reads TypeScript\'s interface prefix as no word', () => {
    const idx = buildTermIndex([card('irnn', ['IRNN']), card('vanilla-rnn', ['RNN'])]);
    const ts: TermContext = { rnn: true, language: 'typescript' };
    const line = 'export interface IGRUHiddenLayer extends IRNNHiddenLayer {}';
    assert.deepEqual(termAt(idx, line, line.indexOf('IRNN') + 1, ts)?.cardIds[0], 'vanilla-rnn');
    assert.deepEqual(findTermsInText(idx, line, { language: 'typescript' }).map((f) => `${f.column}:${f.term}`), [`${line.indexOf('IRNN') + 2}:RNN`]);
    assert.deepEqual(termAt(idx, 'w = IRNNHiddenLayer', 5, { rnn: true, language: 'python' })?.cardIds[0], 'irnn');
  });
  it('matches gate variables by name', () => {
    assert.deepEqual(shown('in_gate = torch.sigmoid(x)', 'in_gate'), ['in_gate', 'lstm-gates']);
    assert.deepEqual(shown('z_gate = torch.sigmoid(x)', 'z_gate'), ['z_gate', 'gru-vs-lstm']);
    assert.deepEqual(shown('const forgetGate = sigmoid(x)', 'forgetGate'), ['forgetGate', 'lstm-gates']);
  });
});

describe('spellings', () => {
  it('keeps different words apart: n_layers is not nlayers', () => {
    const idx = buildTermIndex([card('stacked', ['nlayers'])]);
    assert.equal(termAt(idx, '    int n_layers; // transformer depth', 8, RNN), undefined);
    assert.ok(termAt(idx, 'model = RNNModel(ntoken, nlayers)', 26, RNN));
  });
  it('does not read prose letters as an identifier: "h n" is not h_n', () => {
    assert.equal(shown('#   h n   (ASCII art of the unrolled net)', 'h n'), undefined);
    assert.deepEqual(shown('out, (h_n, c_n) = self.lstm(x)', 'h_n'), ['h_n', 'outputs']);
  });
  it('matches a class name written as an ordinary word only with its capital', () => {
    const keras: TermContext = { rnn: true, frameworks: ['keras'] };
    assert.deepEqual(shown('x = layers.Masking(mask_value=0.0)(x)', 'Masking', keras), ['Masking', 'masking']);
    assert.equal(shown('# sliding window masking of the LSTM input', 'masking', keras), undefined);
  });
  it('reads a class named like a word as the class only where code uses it', () => {
    const idx = buildTermIndex([card('emb', ['nn.Embedding']), card('recur', ['Flux.Recur'])]);
    const hit = (line: string, needle: string) => termAt(idx, line, line.indexOf(needle), RNN)?.cardIds[0];
    assert.equal(hit('x = layers.Embedding(1000, 64)(x)', 'Embedding'), 'emb');
    assert.equal(hit('    tok_embed::Embedding', 'Embedding'), 'emb');
    assert.equal(hit('# "Using the Output Embedding to Improve Language Models"', 'Embedding'), undefined);
    assert.equal(hit('m = Recur(cell)', 'Recur'), 'recur');
    assert.equal(hit('y = recur(x)', 'recur'), undefined);
  });
  it('parses annotations off the term', () => {
    const { text, annotations } = splitAnnotations('reset! @api @julia @flux @classic @nonsense');
    assert.equal(text, 'reset!');
    assert.deepEqual([annotations.role, annotations.languages, annotations.frameworks, annotations.classic, annotations.unknown],
      ['api', ['julia'], ['flux'], true, ['nonsense']]);
  });
});

describe('languages and frameworks', () => {
  it('matches a Julia function only with its `!`, and only in Julia or Flux code', () => {
    const julia: TermContext = { rnn: true, language: 'julia', frameworks: ['flux'] };
    assert.deepEqual(shown('Flux.reset!(model)', 'reset', julia), ['Flux.reset', 'flux-reset']);
    assert.deepEqual(shown('reset!(m)', 'reset', julia), ['reset', 'flux-reset']);
    const python: TermContext = { rnn: true, language: 'python', frameworks: ['pytorch'] };
    assert.equal(shown('    """Resets the parameters of the LSTM."""', 'Resets', python), undefined);
    assert.equal(shown('# Reset every epoch', 'Reset', python), undefined);
    assert.equal(shown('reset!(m)', 'reset', python), undefined);
  });
  it('keeps a framework\'s API out of files that import another framework', () => {
    const torch: TermContext = { rnn: true, frameworks: ['pytorch'] };
    assert.equal(shown('x = Masking(0.0)(x)', 'Masking', torch), undefined);
    assert.deepEqual(shown('x = Masking(0.0)(x)', 'Masking', RNN), ['Masking', 'masking']);
  });
  it('detects frameworks from imports', () => {
    assert.deepEqual(documentTopic('import torch\nfrom torch import nn\n').frameworks, ['pytorch']);
    assert.deepEqual(documentTopic('using Flux\nm = LSTM(2 => 3)\n').frameworks, ['flux']);
    assert.deepEqual(documentTopic('library(keras3)\n').frameworks, ['keras']);
    assert.equal(documentTopic('h = step(x, h)\n').frameworks, undefined);
  });
});

describe('module paths', () => {
  it('reads a module path as a path, and still explains what the import brings in', () => {
    const text = [
      'from torch.nn.utils.rnn import pack_padded_sequence',
      'from mxnet.gluon import rnn',
      'import ctcdecode',
      'from ctc_decoder import decode',
      'import stateful',
      'cell = tf.nn.rnn_cell.LSTMCell(8)',
      'x = torch.nn.utils.rnn.pad_sequence(xs)',
      'use tch::nn::{LSTM, RNN};',
      'using CUDA, cuDNN',
    ].join('\n');
    const found = findTermsInText(index, text, { language: 'python' }).map((f) => `${f.line}:${f.term}`);
    assert.deepEqual(found, ['1:pack_padded_sequence', '6:LSTMCell', '8:LSTM', '8:RNN']);
  });
  it('reads a name bound to an imported module as the module', () => {
    const text = 'from mxnet.gluon import rnn\nimport stateful\nimport numpy as np, torch.nn as nn\ncell = rnn.LSTM(8)\nh = rnn.step(x)\n';
    assert.deepEqual(documentTopic(text).modules, ['rnn', 'stateful', 'np', 'nn']);
    assert.deepEqual(findTermsInText(index, text, { language: 'python' }).map((f) => `${f.line}:${f.column}:${f.term}`), ['4:12:LSTM']);
  });
});

describe('prose words and call arguments', () => {
  it('matches a layer\'s size or dropout argument only in a call to a recurrent layer', () => {
    assert.deepEqual(shown('model.add(tf.layers.lstm({units: 64}))', 'units'), ['units', 'sizes']);
    assert.deepEqual(shown('lstm = nn.LSTM(8, 16, num_layers=2, dropout=0.2)', 'dropout'), ['dropout', 'dropout']);
    assert.equal(shown('x = layers.Dense(units=10)(x)', 'units'), undefined);
    assert.equal(shown('# percentage of units to drop', 'units'), undefined);
    assert.equal(shown('self.drop = nn.Dropout(dropout=0.1)', 'dropout=', RNN, 0), undefined);
  });
  it('reads R\'s constructor calls (`name = value` arguments) as calls to recurrent layers', () => {
    const r: TermContext = { rnn: true, language: 'r' };
    for (const line of [
      'rnn <- nn_lstm(input_size = 1, hidden_size = 32, dropout = 0.2)',
      'g <- nn_gru(input_size = 1, dropout = 0.2)',
      'r <- nn_rnn(input_size = 1, dropout = 0.2)',
      'model %>% layer_lstm(units = 32, dropout = 0.2)',
      'model %>% layer_gru(units = 32, dropout = 0.2)',
      'model %>% layer_simple_rnn(units = 32, dropout = 0.2)',
    ]) assert.deepEqual(shown(line, 'dropout', r), ['dropout', 'dropout'], line);
    assert.equal(shown('d <- nn_dropout(p = 0.5, dropout = 1)', 'dropout =', r), undefined);
    assert.equal(shown('model %>% layer_dense(units = 10, dropout = 0.1)', 'dropout', r), undefined);
  });
  it('takes a recurrent layer\'s parameters as its arguments in the R source that defines it', () => {
    const text = [
      'nn_rnn_base <- nn_module(',
      '  "nn_rnn_base",',
      '  initialize = function(mode, input_size, hidden_size, num_layers = 1,',
      '                        dropout = 0., bidirectional = FALSE) {',
      '    self$dropout <- dropout',
      '    if (dropout > 0 && num_layers == 1) warn("non-zero dropout expects num_layers > 1")',
      '  }',
      ')',
    ].join('\n');
    assert.deepEqual(documentTopic(text).layerParams, ['mode', 'input_size', 'hidden_size', 'num_layers', 'dropout', 'bidirectional']);
    assert.deepEqual(findTermsInText(index, text, { language: 'r' }).filter((f) => f.cardIds[0] === 'dropout').map((f) => `${f.line}:${f.column}`),
      ['4:25', '5:10', '5:21', '6:9', '6:56']);
    const fn = 'layer_simple_rnn <- function(object, units, dropout = 0.0) {\n  args <- list(units = units, dropout = dropout)\n}';
    assert.deepEqual(documentTopic(fn).layerParams, ['object', 'units', 'dropout']);
    // Not a recurrent layer's definition: its `dropout` is any dropout.
    const linear = 'nn_linear <- nn_module(\n  initialize = function(in_features, dropout = 0) {\n    self$dropout <- dropout\n  }\n)\nl <- nn_lstm(2, 3)';
    assert.equal(documentTopic(linear).layerParams, undefined);
    assert.deepEqual(findTermsInText(index, linear, { language: 'r' }).filter((f) => f.cardIds[0] === 'dropout'), []);
  });
  it('finds the call a few lines up when each argument has its own line', () => {
    const dropouts = (text: string, language: string) => findTermsInText(index, text, { language }).filter((f) => f.cardIds[0] === 'dropout').map((f) => `${f.line}:${f.column}`);
    assert.deepEqual(dropouts('library(torch)\ng <- nn_gru(\n  input_size = c(1, 2),\n  hidden_size = 32,\n  dropout = 0.2\n)', 'r'), ['5:3']);
    assert.deepEqual(dropouts('lstm = nn.LSTM(\n    input_size=8,\n    hidden_size=16,\n    dropout=0.2,\n)', 'python'), ['4:5']);
    // The call closed before, a blank line, or another callee: not the recurrent layer's argument.
    assert.deepEqual(dropouts('lstm = nn.LSTM(8, 16)\nhead = nn.Linear(\n    16,\n    dropout=0.2,\n)', 'python'), []);
    assert.deepEqual(dropouts('lstm = nn.LSTM(\n    8,\n\n    dropout=0.2)', 'python'), []);
    const line = '    dropout=0.2,';
    const ctx: TermContext = { rnn: true, prevLine: '    hidden_size=16,', lineAbove: (k) => ['    hidden_size=16,', 'lstm = nn.LSTM('][k - 1] };
    assert.deepEqual(termAt(index, line, line.indexOf('dropout'), ctx)?.cardIds, ['dropout']);
  });
  it('looks for the call on the line before', () => {
    const ctx: TermContext = { rnn: true, prevLine: '      model.add(tf.layers.gru({' };
    assert.deepEqual(shown('        units: hiddenSize,', 'units', ctx), ['units', 'sizes']);
  });
});

describe('modern recurrent models', () => {
  const modern: TermContext = { rnn: true, modern: true };
  it('gives a variant\'s name no classic card', () => {
    for (const [line, needle] of [['class mLSTMCell(nn.Module):', 'LSTM'], ['from minGRU_pytorch import minGRU', 'GRU'], ['m = xLSTMBlock(cfg)', 'LSTM']] as const) {
      assert.equal(shown(line, needle), undefined, line);
    }
  });
  it('keeps the classic cells\' parts and names inside identifiers out of files about modern models', () => {
    assert.equal(shown('self.input_gate = BlockDiagonalLinear(w)', 'input_gate', modern), undefined);
    assert.equal(shown('cache: at.RNNState = None', 'RNN', modern), undefined);
    assert.deepEqual(shown('self.input_gate = Linear(w)', 'input_gate'), ['input_gate', 'lstm-gates']);
    // Plain prose about recurrence reads the same anywhere.
    assert.deepEqual(shown('# the hidden state of the RG-LRU', 'hidden', modern), ['hidden state', 'vanilla-rnn']);
    assert.deepEqual(shown('# RWKV is an RNN with transformer-level performance', 'RNN', modern), ['RNN', 'vanilla-rnn']);
  });
  it('knows modern recurrence in the topic gate', () => {
    for (const text of ['from mamba_ssm import Mamba', 'class RWKV_TimeMix(nn.Module):', 'A selective scan over the sequence', 'x = MultiScaleRetention(args)']) {
      assert.deepEqual([documentTopic(text).rnn, documentTopic(text).modern], [true, true], text);
    }
    assert.deepEqual([documentTopic('lstm = nn.LSTM(8, 16)').rnn, documentTopic('lstm = nn.LSTM(8, 16)').modern], [true, false]);
    assert.equal(documentTopic('# data from https://github.com/karpathy/char-rnn\nn_layer = 12').rnn, false);
    assert.equal(documentTopic('decoder = CTCBeamDecoder(labels, blank_id=0)').rnn, true);
  });
});

describe('term roles', () => {
  it('says whether a term is an API, a concept or a naming convention', () => {
    const role = (term: string) => [...index.byKey.values()].flat().find((e) => e.term === term && !e.alias)?.role;
    assert.deepEqual(['nn.LSTM', 'LSTM', 'forget gate', 'hidden_dim', 'LSTMCell', 'pack_padded_sequence', 'dropout='].map(role),
      ['api', 'concept', 'concept', 'convention', 'api', 'api', 'api']);
  });
});
