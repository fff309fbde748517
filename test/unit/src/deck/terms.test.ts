// The term matcher: what a hover would show at a position of a line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildTermIndex, findTermsInText, isRnnContext, MAX_INDEXED_TERM_WORDS, MAX_SCAN_CHARS, MAX_TERM_KEY_CHARS, normalizeTerm, scanTerms, splitWords, termAt, type TermContext } from '../../../../src/deck/terms';
import { card, FIXTURE_CARDS } from './termsFixture';

const index = buildTermIndex(FIXTURE_CARDS);
const RNN: TermContext = { rnn: true };

/** The match at the first occurrence of `needle` in `line` (plus `delta` characters into it). */
function at(line: string, needle: string, ctx?: TermContext, delta = 0) {
  const i = line.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' not in '${line}'`);
  return termAt(index, line, i + delta, ctx);
}

/** The matched text and the best card, or undefined. */
function hover(line: string, needle: string, ctx?: TermContext, delta = 0): [string, string] | undefined {
  const m = at(line, needle, ctx, delta);
  return m ? [line.slice(m.start, m.end), m.cardIds[0]] : undefined;
}

/** Each [line, needle, shown, ctx?, delta?]: hovering there shows `shown` (see hover). */
function hovers(...cases: [line: string, needle: string, shown: [string, string], ctx?: TermContext, delta?: number][]): void {
  for (const [line, needle, shown, ctx, delta] of cases) assert.deepEqual(hover(line, needle, ctx, delta), shown);
}

/** Each [line, needle, ctx?]: nothing matches there. */
function matchesNothing(...cases: [line: string, needle: string, ctx?: TermContext][]): void {
  for (const [line, needle, ctx] of cases) assert.equal(at(line, needle, ctx), undefined);
}

describe('splitWords', () => {
  it('splits snake, camel, kebab and acronym humps', () => {
    const words = (s: string) => splitWords(s).map((w) => w.lower);
    assert.deepEqual(words('hidden_size'), ['hidden', 'size']);
    assert.deepEqual(words('hiddenSize'), ['hidden', 'size']);
    assert.deepEqual(words('GRUCell'), ['gru', 'cell']);
    assert.deepEqual(words('LSTMCell'), ['lstm', 'cell']);
    assert.deepEqual(words('clip_grad_norm_'), ['clip', 'grad', 'norm']);
    assert.deepEqual(words('forget-gate'), ['forget', 'gate']);
    assert.deepEqual(words('seq2seq'), ['seq2seq']);
  });
  it('normalises a term the same way in every spelling of the same words', () => {
    for (const t of ['hidden_size', 'hiddenSize', 'HIDDEN_SIZE', 'hidden-size', 'hidden size', 'HiddenSize']) {
      assert.equal(normalizeTerm(t), 'hidden_size', t);
    }
    assert.notEqual(normalizeTerm('nlayers'), normalizeTerm('n_layers'));
    assert.equal(normalizeTerm('torch::nn::LSTM'), normalizeTerm('torch.nn.LSTM'));
    assert.equal(normalizeTerm('bidirectional=True'), 'bidirectional');
  });
});

describe('identifiers', () => {
  it('matches an acronym in any case', () => {
    hovers(
      ['model = LSTM(10, 20)', 'LSTM', ['LSTM', 'lstm-gates']],
      ['self.lstm(x, hidden)', 'lstm', ['lstm', 'lstm-gates']],
      ['gru = Gru(32)', 'Gru', ['Gru', 'gru-vs-lstm']],
    );
  });
  it('matches every spelling of a snake_case term', () => {
    for (const id of ['hidden_size', 'hiddenSize', 'HIDDEN_SIZE', 'HiddenSize']) {
      assert.deepEqual(hover(`x = ${id} * 4`, id, RNN, 2), [id, 'vanilla-rnn'], id);
    }
  });
  it('matches class names built of acronyms', () => {
    hovers(
      ['cell = nn.GRUCell(8, 16)', 'GRUCell', ['GRUCell', 'gru-vs-lstm'], undefined, 4],
      ['cell = LSTMCell(8, 16)', 'LSTMCell', ['LSTMCell', 'lstm-gates']],
    );
  });
  it('finds an architecture\'s name inside a longer identifier, ranging over that part only', () => {
    hovers(
      ['class CharLSTM(nn.Module):', 'LSTM', ['LSTM', 'lstm-gates']],
      ['lstm_out, _ = self.rnn(x)', 'lstm', ['lstm', 'lstm-gates']],
    );
    // Any other term only as the whole name.
    matchesNothing(['def init_hidden_state(self):', 'hidden', RNN]);
  });
  it('does not match the other words of a longer identifier', () => {
    matchesNothing(
      ['class CharLSTM(nn.Module):', 'Char'],
      ['def init_hidden_state(self):', 'init'],
    );
  });
  it('takes acronym plurals in prose', () => {
    hovers(
      ['# LSTMs and GRUs both gate their state', 'LSTMs', ['LSTMs', 'lstm-gates']],
      ['# LSTMs and GRUs both gate their state', 'GRUs', ['GRUs', 'gru-vs-lstm']],
    );
  });
  it('ignores words that merely contain an acronym', () => {
    matchesNothing(['grunt = grub + ungrouped', 'grunt'], ['const crnnx = 1', 'crnnx']);
  });
});

describe('dotted API names', () => {
  it('matches the longest known suffix of the chain', () => {
    const m = at('self.rnn = torch.nn.GRU(8, 16)', 'GRU');
    assert.ok(m);
    assert.equal(m.text, 'torch.nn.GRU');
    assert.equal(m.cardIds[0], 'gru-vs-lstm');
    hovers(
      ['layer = nn.LSTM(8, 16)', 'LSTM', ['nn.LSTM', 'lstm-gates']],
      ['x = tf.keras.layers.SimpleRNN(32)(x)', 'SimpleRNN', ['tf.keras.layers.SimpleRNN', 'vanilla-rnn']],
    );
  });
  it('matches the API name\'s last segment under another prefix', () => {
    hovers(
      ['loss = torch.nn.functional.ctc_loss(lp, y, il, tl)', 'ctc_loss', ['ctc_loss', 'ctc']],
      ['loss = F.ctc_loss(lp, y, il, tl)', 'ctc_loss', ['F.ctc_loss', 'ctc']],
      ['clip_grad_norm_(model.parameters(), 1.0)', 'clip', ['clip_grad_norm_', 'bptt'], RNN],
      ['torch.nn.utils.clip_grad_norm_(params, 1.0)', 'clip', ['torch.nn.utils.clip_grad_norm_', 'bptt'], RNN],
    );
  });
  it('treats a generic training utility as ordinary outside RNN code', () => {
    // Gradient clipping in a Transformer script is not a reason to show an RNN card.
    matchesNothing(
      ['torch.nn.utils.clip_grad_norm_(params, 1.0)', 'clip'],
      ['clip_grad_norm_(params, 1.0)', 'clip'],
    );
  });
  it('matches C++ and Julia spellings', () => {
    hovers(
      ['auto rnn = torch::nn::GRU(torch::nn::GRUOptions(8, 16));', 'GRU(', ['torch::nn::GRU', 'gru-vs-lstm']],
      ['m = Flux.LSTM(10 => 20)', 'LSTM', ['LSTM', 'lstm-gates']],
    );
  });
  it('matches a dotted name from any of its segments, and nothing on a prefix alone', () => {
    hovers(
      ['layer = nn.LSTM(8, 16)', 'nn', ['nn.LSTM', 'lstm-gates']],
      ['x = tf.keras.layers.SimpleRNN(32)(x)', 'keras', ['tf.keras.layers.SimpleRNN', 'vanilla-rnn']],
    );
    matchesNothing(
      ['import torch.nn as nn', 'torch'],
      ['out = self.lstm(x)', 'self'],
      ['loss = torch.nn.functional.ctc_loss(a)', 'functional'],
    );
  });
});

describe('keyword arguments', () => {
  it('matches a keyword-only term in keyword position', () => {
    hovers(
      ['nn.LSTM(8, 16, bidirectional=True)', 'bidirectional', ['bidirectional', 'bidirectional-rnn'], RNN],
      ['tf.layers.lstm({units: 8, bidirectional: true})', 'bidirectional', ['bidirectional', 'bidirectional-rnn'], RNN],
    );
  });
  it('matches a class named like a weak word only in an RNN context', () => {
    assert.deepEqual(hover('x = layers.Bidirectional(layers.LSTM(64))(x)', 'Bidirectional', RNN), ['Bidirectional', 'bidirectional-rnn']);
    assert.equal(at('x = layers.Bidirectional(layers.LSTM(64))(x)', 'Bidirectional'), undefined);
  });
  it('does not treat a comparison as a keyword', () => {
    const idx = buildTermIndex([card('k', ['batch_first=True'])]);
    assert.equal(termAt(idx, 'if batch_first == True:', 3, RNN), undefined);
    assert.equal(termAt(idx, 'print(batch_first)', 8, RNN), undefined);
    assert.equal(termAt(idx, 'nn.GRU(4, 8, batch_first=True)', 15, RNN)?.cardIds[0], 'k');
  });
});

describe('phrases', () => {
  it('matches a phrase in a comment from any of its words', () => {
    const line = '# the forget gate decides what to keep';
    for (const word of ['forget', 'gate']) assert.deepEqual(hover(line, word, RNN), ['forget gate', 'lstm-gates'], word);
  });
  it('normalises case, hyphens and plurals', () => {
    hovers(
      ['## Forget Gates', 'Gates', ['Forget Gates', 'lstm-gates'], RNN],
      ['// Teacher-Forcing at every step', 'Forcing', ['Teacher-Forcing', 'teacher-forcing']],
      ['Why do vanishing gradients happen?', 'vanishing', ['vanishing gradients', 'vanishing-gradients']],
      ['a vanishing gradient problem', 'gradient', ['vanishing gradient', 'vanishing-gradients']],
      ['"""Backpropagation Through Time, truncated."""', 'Through', ['Backpropagation Through Time', 'bptt']],
    );
  });
  it('matches a snake_case spelling of a phrase as an identifier', () => {
    hovers(
      ['forget_gate = sigmoid(z[0:H])', 'forget', ['forget_gate', 'lstm-gates'], RNN],
      ['hiddenStates.push(h)', 'hidden', ['hiddenStates', 'vanilla-rnn'], RNN],
    );
  });
  it('matches a phrase wrapped onto the next comment line', () => {
    const prevLine = '# truncated backpropagation';
    const line = '# through time stops the gradient';
    const m = termAt(index, line, line.indexOf('time'), { prevLine });
    assert.ok(m);
    assert.equal(m.cardIds[0], 'bptt');
    assert.equal(m.text, 'backpropagation through time');
    assert.equal(m.fromPreviousLine, true);
    assert.deepEqual([m.start, m.end], [2, 14]);
    const first = termAt(index, prevLine, prevLine.indexOf('backprop'), { nextLine: line });
    assert.equal(first?.cardIds[0], 'bptt');
    assert.equal(first?.fromPreviousLine, false);
  });
  it('does not join words across punctuation or code', () => {
    matchesNothing(
      ['# we forget. Gate the rest', 'forget'],
      ['return cell, state', 'cell', RNN],
      ['teacher = forcing', 'teacher', RNN],
    );
  });
});

describe('ordinary words need an RNN context', () => {
  it('treats terms made only of ordinary words as weak, and others as strong', () => {
    // A Transformer config has a hidden_size; a spreadsheet has a cell state; neither is an RNN.
    matchesNothing(
      ['config = BertConfig(hidden_size=768)', 'hidden_size'],
      ['# keep the cell state in sync with the grid', 'cell'],
    );
    assert.deepEqual(hover('# keep the cell state', 'cell', RNN), ['cell state', 'lstm-gates']);
    // "teacher forcing" and "vanishing gradients" mean one thing wherever they appear.
    hovers(
      ['# teacher forcing with p=0.5', 'teacher', ['teacher forcing', 'teacher-forcing']],
      ['# beware of exploding gradients', 'exploding', ['exploding gradients', 'vanishing-gradients']],
    );
  });
  it('lets ordinary phrases match as a whole identifier only in an RNN context', () => {
    assert.deepEqual(hover('forget_gate = sigmoid(z)', 'forget', RNN), ['forget_gate', 'lstm-gates']);
    matchesNothing(
      ['forget_gate = sigmoid(z)', 'forget'],
      ['forget_gate_bias = 1.0', 'forget', RNN],
      ['model.load_state_dict(sd)', 'state', RNN],
    );
  });
  const lines = [
    'attention = pay_attention(user)',
    '# give this attention later',
  ];
  it('does not match ordinary words outside an RNN context', () => {
    for (const line of lines) assert.equal(at(line, 'attention'), undefined, line);
  });
  it('matches them in an RNN context', () => {
    assert.deepEqual(hover('# attention over the encoder states', 'attention', RNN), ['attention', 'seq2seq-attention']);
  });
  it('skips idioms such as "pay attention" even in an RNN context', () => {
    matchesNothing(
      ['- Pay attention to the learning rate warm-up', 'attention', RNN],
      ['// this needs attention', 'attention', RNN],
    );
    assert.deepEqual(hover('# Bahdanau-style attention to the encoder', 'attention', RNN), ['attention', 'seq2seq-attention']);
  });
  it('never matches an ordinary word inside a longer identifier', () => {
    assert.equal(at('self_attention_mask = None', 'attention', RNN), undefined);
  });
  it('decides the RNN context from names of recurrent architectures', () => {
    assert.equal(isRnnContext('import torch\nmodel = nn.LSTM(8, 16)\n'), true);
    assert.equal(isRnnContext('class CharGRU(nn.Module): pass'), true);
    assert.equal(isRnnContext('h = rnn_step(x, h)'), true);
    assert.equal(isRnnContext('A recurrent network keeps a hidden state.'), true);
    assert.equal(isRnnContext('const state = useState(0); // gate the cell attention'), false);
    assert.equal(isRnnContext('grunt grub ungrouped "Lstmx"'), false);
    assert.equal(isRnnContext('x = layers.Dense(8, kernel_initializer="glorot", recurrent_initializer="orthogonal")'), true);
    assert.equal(isRnnContext('invoice.recurrent = true; // recurrence rule RRULE'), false);
    assert.equal(isRnnContext('# the forget gate and backpropagation through time'), true);
  });
});

describe('several cards', () => {
  it('orders by priority, then the more specific match', () => {
    const m = at('self.lstm = nn.LSTM(8, 16)', 'LSTM');
    assert.ok(m);
    // lstm-gates names nn.LSTM (more specific); gru-vs-lstm only LSTM; lstm-numpy has priority -1.
    assert.deepEqual(m.cardIds, ['lstm-gates', 'gru-vs-lstm', 'lstm-numpy']);
  });
  it('lets front-matter priority win over specificity', () => {
    const idx = buildTermIndex([card('a', ['nn.LSTM']), card('b', ['LSTM'], { priority: 2 })]);
    assert.deepEqual(termAt(idx, 'nn.LSTM(1, 2)', 4)?.cardIds, ['b', 'a']);
  });
  it('keeps one entry per card', () => {
    const idx = buildTermIndex([card('a', ['LSTM', 'lstm', 'nn.LSTM'])]);
    assert.deepEqual(termAt(idx, 'nn.LSTM(1, 2)', 4)?.cardIds, ['a']);
  });
});

describe('positions', () => {
  const line = 'h = nn.LSTM(8, 16)';
  it('covers exactly the characters of the match', () => {
    const start = line.indexOf('nn');
    const end = line.indexOf('(');
    for (let c = 0; c < line.length; c++) {
      const m = termAt(index, line, c);
      if (c >= start && c < end && line[c] !== '.') assert.deepEqual([m?.start, m?.end], [start, end], `col ${c}`);
      else assert.equal(m, undefined, `col ${c}`);
    }
  });
  it('handles out-of-range positions and empty lines', () => {
    assert.equal(termAt(index, line, -1), undefined);
    assert.equal(termAt(index, line, line.length), undefined);
    assert.equal(termAt(index, '', 0), undefined);
    assert.equal(termAt(index, 'LSTM', 0)?.end, 4);
    assert.equal(termAt(index, 'LSTM', 3)?.start, 0);
  });
  it('looks only at a window around the cursor on a very long line', () => {
    const long = 'x'.repeat(100_000) + ' nn.LSTM ' + 'y'.repeat(100_000);
    const m = termAt(index, long, 100_004);
    assert.deepEqual([m?.start, m?.end], [100_001, 100_008]);
  });
  it('matches nothing with an empty index', () => {
    assert.equal(termAt(buildTermIndex([]), line, 7), undefined);
  });
});

describe('findTermsInText', () => {
  it('lists each term once with 1-based positions and skips ordinary words outside RNN text', () => {
    const text = [
      'import torch.nn as nn',
      'rnn = nn.GRU(8, 16, bidirectional=True)',
      '# truncated backpropagation',
      '# through time; the forget gate',
    ].join('\n');
    assert.deepEqual(
      findTermsInText(index, text).map((t) => `${t.line}:${t.column} ${t.term} ${t.cardIds[0]}`),
      [
        '2:1 RNN vanilla-rnn',
        '2:7 nn.GRU gru-vs-lstm',
        '2:21 bidirectional=True bidirectional-rnn',
        '3:13 backpropagation through time bptt',
        '4:21 forget gate lstm-gates',
      ],
    );
    assert.deepEqual(findTermsInText(index, 'const attention = 1; // gate'), []);
  });
});

describe('robustness', () => {
  const alphabet = fc.constantFrom(...'LSTMgru nn._:=-# \t()[]{}"\'forget gate hidden_size ctc BPTT attention é😀'.split(''));
  const line = fc.array(alphabet, { maxLength: 80 }).map((cs) => cs.join(''));
  it('never throws, and a match always covers the position asked about', () => {
    fc.assert(fc.property(line, fc.nat(90), fc.boolean(), line, (text, ch, rnn, prev) => {
      const m = termAt(index, text, ch, { rnn, prevLine: prev, nextLine: prev });
      if (!m) return;
      assert.ok(m.start <= ch && ch < m.end, `${m.start}..${m.end} covers ${ch} in ${JSON.stringify(text)}`);
      assert.ok(m.cardIds.length > 0);
      assert.ok(m.end <= text.length);
    }), { numRuns: 2000 });
  });
  it('findTermsInText reports 1-based columns at the start of a word', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 6 }), (ls) => {
      const text = ls.join('\n');
      for (const t of findTermsInText(index, text)) {
        const l = ls[t.line - 1];
        assert.ok(t.column >= 1 && t.column <= l.length);
        assert.ok(/[A-Za-z0-9_]/.test(l[t.column - 1]), `column ${t.column} of ${JSON.stringify(l)} starts a word`);
      }
    }), { numRuns: 500 });
  });
});

describe('quiet where nobody wants a flashcard', () => {
  /** The line's terms as `term@column` (1-based), by the scan; the hover at each needle is checked too. */
  const scanned = (line: string) => findTermsInText(index, line).map((t) => `${t.term}@${t.column}`);
  const quiet: [string, string][] = [
    ['# See https://colah.github.io/posts/2015-08-Understanding-LSTMs/ for more', 'LSTMs'],
    ['url = "www.example.com/lstm-tutorial"', 'lstm'],
    ['# :doc:`/intermediate/lstm_tutorial` covers it', 'lstm'],
    ['#include <torch/nn/modules/lstm.h>', 'lstm'],
    ['#include "lstm_cell.hpp"', 'lstm'],
    ['path = "checkpoints/lstm/model.pt"', 'lstm'],
    ['open(\'data\\\\gru\\\\train.txt\')', 'gru'],
    ['torch.save(model, lstm_best.pt)', 'lstm'],
    ['![An LSTM cell unrolled](figures/lstm.png)', 'LSTM'],
    ['Read [the paper](https://example.org/lstm.pdf) first.', 'lstm'],
    ['[lstm-paper]: https://example.org/lstm', 'lstm'],
    ['.. figure:: /_static/img/lstm-cell.png', 'lstm'],
    ['   :alt: an LSTM cell with its forget gate', 'LSTM'],
    ['<img src="lstm.svg" alt="LSTM cell">', 'LSTM'],
    ["key = self.make_rng('lstm')", 'lstm'],
    ["scan = nn.scan(cell, split_rngs={'lstm': True})", 'lstm'],
    ["w = params['params']['lstm']", 'lstm'],
    ["layer = SimpleRNN(32, name='gru')", 'gru'],
    ['Welcome to RNN Lens, the extension.', 'RNN'],
    ['"rnnLens.hover.enabled": true', 'rnn'],
  ];
  it('shows nothing in URLs, paths, link targets, figures, includes, label strings and the product name', () => {
    for (const [line, needle] of quiet) {
      assert.equal(hover(line, needle, RNN), undefined, line);
      assert.deepEqual(scanned(line).filter((t) => t.toLowerCase().startsWith(needle.toLowerCase().replace(/s$/, ''))), [], line);
    }
  });
  it('still finds the term next to the quiet part', () => {
    hovers(
      ['![An LSTM cell](figures/lstm.png) the LSTM', 'the LSTM', ['LSTM', 'lstm-gates'], RNN, 4],
      ['Read [the LSTM paper](https://example.org/lstm.pdf)', 'LSTM', ['LSTM', 'lstm-gates'], RNN],
      [":class:`torch.nn.LSTM` and :doc:`/lstm`", 'nn.LSTM', ['nn.LSTM', 'lstm-gates'], RNN],
      ["x = nn.scan(LSTMCell, split_rngs={'lstm': True})", 'LSTMCell', ['LSTMCell', 'lstm-gates'], RNN],
      ["if rnn_type in ['LSTM', 'GRU']:", 'GRU', ['GRU', 'gru-vs-lstm'], RNN],
      ['An RNN lens on the data: the RNN', 'the RNN', ['RNN', 'vanilla-rnn'], RNN, 4],
    );
    assert.deepEqual(scanned('# include the forget gate bias'), ['forget gate@15']);
  });
});

describe('the scan of a whole text', () => {
  const fifty = Array.from({ length: 50 }, (_, i) => `lexeme${i}`);
  const longIndex = buildTermIndex([...FIXTURE_CARDS, card('fifty', [fifty.join(' ')]), card('tbptt', ['h.detach', 'hidden.detach'])]);

  it('finds a 50-word term in an 82 KB file, and the terms around it (linear, not quadratic, in the term)', () => {
    // The old scan built every run of up to 50 words at every word: minutes for this file.
    const block = [
      `# ${fifty.join(' ')}`,
      `h = nn.LSTM(8, 16)  # ${fifty.slice(0, 49).join(' ')} and the forget gate`,
      `# ${fifty.slice(0, 25).join(' ')}`,
      `# ${fifty.slice(25).join(' ')}`,
    ].join('\n') + '\n';
    const blocks = Math.ceil(82_000 / block.length);
    const text = block.repeat(blocks);
    assert.ok(text.length >= 82_000);
    const found = findTermsInText(longIndex, text);
    const at = (cardId: string) => found.filter((t) => t.cardIds[0] === cardId).map((t) => `${t.line}:${t.column}`);
    // Once per block on its own line, and once wrapped over two comment lines.
    assert.deepEqual(at('fifty'), Array.from({ length: blocks }, (_, b) => [`${4 * b + 1}:3`, `${4 * b + 3}:3`]).flat());
    assert.equal(at('lstm-gates').length, 2 * blocks); // nn.LSTM and the forget gate
    assert.equal(found.length, 4 * blocks);
  });

  it('agrees with the hover at every word', () => {
    // What the scan must equal: termAt tried at each word, left to right, without overlaps.
    const reference = (text: string) => {
      const rnn = isRnnContext(text);
      const lines = text.split('\n');
      const out: string[] = [];
      lines.forEach((line, ln) => {
        let covered = 0;
        for (const m of line.matchAll(/[A-Za-z0-9_]+/g)) {
          for (const p of [m.index, ...splitWords(m[0], m.index).map((w) => w.start)]) {
            if (p < covered) continue;
            const hit = termAt(longIndex, line, p, { rnn, prevLine: lines[ln - 1], nextLine: lines[ln + 1] });
            if (!hit || hit.start < covered || hit.fromPreviousLine) continue;
            out.push(`${ln + 1}:${hit.start + 1} ${hit.term} ${hit.cardIds.join(',')}`);
            covered = hit.end;
          }
        }
      });
      return out;
    };
    const word = fc.constantFrom('LSTM', 'nn', 'GRU', 'forget', 'gate', 'gates', 'hidden_size', 'hiddenSize', 'CharLSTM', 'state',
      'backpropagation', 'through', 'time', 'lexeme0', 'lexeme1', 'lexeme2', 'bidirectional', 'ctc', 'F', 'x', 'attention', 'pay',
      'torch', 'utils', 'clip_grad_norm_', 'tf', 'keras', 'layers', 'SimpleRNN', 'h', 'v', 'detach', 'for', 'in', 'LSTMs', 'gradients',
      'vanishing', 'https://x.org/lstm', "make_rng('lstm')", 'RNN Lens', 'a/b.png');
    const sep = fc.constantFrom(' ', ' ', '.', '::', '_', '-', ' - ', '(', ')', '=', ', ', '# ', '"', "'", '/', ': ', '\n', '\n# ', '](');
    const text = fc.array(fc.tuple(word, sep), { maxLength: 40 }).map((ps) => ps.map(([w, s]) => w + s).join(''));
    fc.assert(fc.property(text, (t) => {
      assert.deepEqual(findTermsInText(longIndex, t).map((f) => `${f.line}:${f.column} ${f.term} ${f.cardIds.join(',')}`), reference(t));
    }), { numRuns: 1500 });
  });

  it(`indexes terms of up to MAX_INDEXED_TERM_WORDS words and MAX_TERM_KEY_CHARS characters, and no longer ones`, () => {
    const words = (n: number, w = 'lexeme') => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
    const longWords = words(8, 'y'.repeat(Math.ceil(MAX_TERM_KEY_CHARS / 8)));
    const idx = buildTermIndex([card('ok', [words(MAX_INDEXED_TERM_WORDS)]), card('too-many', [words(MAX_INDEXED_TERM_WORDS + 1, 'word')]), card('too-long', [longWords])]);
    assert.equal(idx.cardCount, 1);
    assert.deepEqual(findTermsInText(idx, `# ${words(MAX_INDEXED_TERM_WORDS)}`).map((t) => t.cardIds[0]), ['ok']);
    assert.deepEqual(findTermsInText(idx, `# ${words(MAX_INDEXED_TERM_WORDS + 1, 'word')}\n# ${longWords}`), []);
  });

  it(`reads at most MAX_SCAN_CHARS characters, to the last whole line, and says so`, () => {
    const line = 'h = nn.LSTM(8, 16)\n';
    const text = line.repeat(Math.ceil((MAX_SCAN_CHARS + 1000) / line.length));
    const scan = scanTerms(index, text);
    assert.equal(scan.truncated, true);
    assert.ok(scan.scannedChars <= MAX_SCAN_CHARS && text[scan.scannedChars] === '\n');
    assert.equal(scan.terms.length, Math.floor(scan.scannedChars / line.length) + (scan.scannedChars % line.length ? 1 : 0));
    assert.equal(scanTerms(index, line).truncated, false);
  });
});

describe('quiet label strings are keys, not values', () => {
  it('still explains a string compared with or given as a value', () => {
    hovers(
      ["        if self.rnn_type == 'LSTM':", "'LSTM'", ['LSTM', 'lstm-gates'], RNN, 1],
      ["cfg = {'cell': 'GRU'}", 'GRU', ['GRU', 'gru-vs-lstm'], RNN],
    );
    assert.equal(hover("cfg = {'cell': 'x', 'gru': 1}", 'gru', RNN), undefined);
    assert.equal(hover("    'lstm': nn.scan(cell),", 'lstm', RNN), undefined);
  });
});
