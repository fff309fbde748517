// The shipped deck's terms on what real RNN code and tutorials write: the hover finds the
// spellings they use, and the scan lists them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildBundledDeck } from '../../../../build/buildDeck';
import { buildTermIndex, findTermsInText, isRnnContext, termAt } from '../../../../src/deck/terms';
import { findRepoRoot } from '../../../fixtures/repoRoot';

const root = findRepoRoot(__dirname);
const index = buildTermIndex(buildBundledDeck(root).bundle.cards);

/** The hover at the first `needle` of `line` (in an RNN file): the text it spans and its first card. */
function hover(line: string, needle: string): [string, string] | undefined {
  const i = line.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' not in '${line}'`);
  const m = termAt(index, line, i, { rnn: true });
  return m ? [line.slice(m.start, m.end), m.cardIds[0]] : undefined;
}

describe('the deck on real RNN code', () => {
  it('explains detach() for truncated BPTT where the carried hidden state is cut from the graph', () => {
    assert.deepEqual(hover('def repackage_hidden(h):', 'repackage'), ['repackage_hidden', 'detach-hidden']);
    assert.deepEqual(hover('        hidden = repackage_hidden(hidden)', 'repackage'), ['repackage_hidden', 'detach-hidden']);
    assert.deepEqual(hover('        return h.detach()', 'detach'), ['h.detach', 'detach-hidden']);
    assert.deepEqual(hover('        return h.detach()', 'h.'), ['h.detach', 'detach-hidden']);
    assert.deepEqual(hover('    hidden = hidden.detach()', 'hidden.'), ['hidden.detach', 'detach-hidden']);
    assert.deepEqual(hover('    h.detach_()', 'detach'), ['h.detach_', 'detach-hidden']);
    assert.deepEqual(hover('        return tuple(v.detach() for v in h)', 'detach'), ['v.detach', 'detach-hidden']);
    assert.deepEqual(hover('    state = tuple(s.detach() for s in state)', 's.detach'), ['s.detach', 'detach-hidden']);
    // Detaching anything else is not truncated BPTT.
    assert.equal(hover('    y = loss.detach().cpu()', 'detach'), undefined);
    assert.equal(hover('    return tuple(v.detach() for v in outputs)', 'detach'), undefined);
  });
  it('explains teacher forcing as Flax and the tutorials spell it', () => {
    assert.deepEqual(hover('  def __call__(self, inputs, teacher_force: bool = True):', 'teacher'), ['teacher_force', 'teacher-forcing']);
    assert.deepEqual(hover('# The decoder is teacher-forced during training.', 'forced'), ['teacher-forced', 'teacher-forcing']);
    assert.deepEqual(hover('    use_teacher_forcing = True if random.random() < ratio else False', 'use'), ['use_teacher_forcing', 'teacher-forcing']);
  });
  it('explains attention in seq2seq code', () => {
    assert.deepEqual(hover('# An attention mechanism lets the decoder look back.', 'mechanism'), ['attention mechanism', 'seq2seq-bottleneck']);
    assert.deepEqual(hover('# Attention Decoder', 'Decoder'), ['Attention Decoder', 'seq2seq-bottleneck']);
    assert.deepEqual(hover('decoder = AttnDecoderRNN(hidden_size, output_lang.n_words)', 'Attn'), ['AttnDecoderRNN', 'seq2seq-bottleneck']);
  });
  it('explains online and streaming speech recognition', () => {
    assert.deepEqual(hover('# Online speech recognition with Emformer RNN-T', 'speech'), ['Online speech recognition', 'speech-streaming-ctc-rnnt']);
    assert.deepEqual(hover('"""Streaming speech recognition from a microphone."""', 'recognition'), ['Streaming speech recognition', 'speech-streaming-ctc-rnnt']);
    assert.deepEqual(hover('# streaming recognition needs a unidirectional encoder', 'recognition'), ['streaming recognition', 'speech-streaming-ctc-rnnt']);
  });
  it('stays quiet on names and addresses in a real-looking file', () => {
    const text = [
      '"""Word-level language model, after https://github.com/pytorch/examples/tree/main/word_language_model',
      'See :doc:`/intermediate/seq2seq_translation_tutorial` and ![LSTM cell](images/lstm_cell.png)."""',
      '#include <torch/csrc/api/include/torch/nn/modules/rnn.h>',
      "rng = self.make_rng('lstm')",
      "x = nn.scan(nn.OptimizedLSTMCell, variable_broadcast='params', split_rngs={'params': False, 'lstm': True})",
      "corpus = data.Corpus('./data/wikitext-2')",
      '# RNN Lens shows this card on hover',
    ].join('\n');
    assert.equal(isRnnContext(text), true);
    assert.deepEqual(findTermsInText(index, text).map((t) => `${t.line}:${t.column} ${t.term}`), ['5:16 OptimizedLSTMCell']);
  });
});
