// The bundled deck (cards/*.md) against the seed it was made from, and the build's compiler.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildBundledDeck } from '../../../../build/buildDeck';
import { lintDeck } from '../../../../src/deck/lint';
import { importSeed } from '../../../../src/deck/seed';
import { normalizeTerm } from '../../../../src/deck/terms';
import { cardFiles, readSeed, ROOT } from './deckTestUtil';

const deck = lintDeck(cardFiles());
const seed = importSeed(readSeed(), 'rnn-cards.txt');
const byId = new Map(deck.cards.map((c) => [c.id, c]));

const IDS = [
  'bidirectional-rnn', 'bptt', 'ctc', 'gru-vs-lstm', 'irnn-orthogonal-init', 'lstm-forward-numpy', 'lstm-gates',
  'seq2seq-bottleneck', 'speech-streaming-ctc-rnnt', 'teacher-forcing', 'transformers-vs-rnns', 'vanilla-rnn',
  'vanishing-exploding-gradients',
];

describe('cards/', () => {
  it('lints clean: 13 cards, no errors, no warnings', () => {
    assert.deepEqual(deck.diagnostics, []);
    assert.deepEqual(deck.cards.map((c) => c.id).sort(), IDS);
  });

  it('each file is named after its id', () => {
    for (const c of deck.cards) assert.equal(c.file, `cards/${c.id}.md`);
  });

  it('holds exactly the seed questions and answers, byte for byte', () => {
    assert.equal(seed.cards.length, 13);
    for (const s of seed.cards) {
      const c = deck.cards.find((d) => d.question === s.question);
      assert.ok(c, `no card has the seed question at line ${s.line}`);
      assert.equal(c.answer, s.answer, `answer of ${c.id}`);
      assert.equal(c.source, 'seed');
    }
  });

  it("takes tags, level and kind from the seed where it has them", () => {
    for (const s of seed.cards.filter((x) => x.level)) {
      const c = deck.cards.find((d) => d.question === s.question)!;
      assert.deepEqual([c.tags, c.level, c.kind], [s.tags, s.level, s.kind], c.id);
    }
  });

  it('chose metadata for the three cards the seed leaves without', () => {
    const m = (id: string) => { const c = byId.get(id)!; return [c.level, c.kind, c.tags]; };
    assert.deepEqual(m('vanishing-exploding-gradients'), ['advanced', 'math', ['vanishing-gradients', 'exploding-gradients', 'bptt', 'jacobian']]);
    assert.deepEqual(m('teacher-forcing'), ['intermediate', 'concept', ['seq2seq', 'training', 'exposure-bias', 'scheduled-sampling']]);
    assert.deepEqual(m('speech-streaming-ctc-rnnt'), ['expert', 'system-design', ['ctc', 'rnn-t', 'streaming', 'speech']]);
  });

  it('links the demos', () => {
    const demos = Object.fromEntries(deck.cards.filter((c) => c.demo).map((c) => [c.id, c.demo]));
    assert.deepEqual(demos, {
      'lstm-gates': 'train', 'lstm-forward-numpy': 'lstm-forward', 'vanilla-rnn': 'lstm-forward', 'gru-vs-lstm': 'lstm-forward',
      'teacher-forcing': 'train', bptt: 'bptt', 'vanishing-exploding-gradients': 'bptt', 'irnn-orthogonal-init': 'train',
      ctc: 'ctc', 'speech-streaming-ctc-rnnt': 'ctc', 'bidirectional-rnn': 'bidirectional',
      'seq2seq-bottleneck': 'seq2seq', 'transformers-vs-rnns': 'rnn-vs-attention',
    });
    assert.equal(Object.keys(demos).length, deck.cards.length, 'every seed card opens a demo');
  });

  it('every card has terms, and none is a common English word on its own', () => {
    const common = new Set(['gate', 'gates', 'state', 'cell', 'attention', 'hidden', 'memory', 'input', 'output', 'update',
      'reset', 'forget', 'layer', 'network', 'model', 'sequence', 'time', 'loss', 'blank', 'transformer', 'encoder', 'decoder']);
    for (const c of deck.cards) {
      assert.ok(c.terms.length >= 4, `${c.id} has ${c.terms.length} terms`);
      for (const t of c.terms) assert.ok(!common.has(normalizeTerm(t)), `${c.id}: '${t}' is common English`);
    }
  });

  it('the API names people write map to the right card', () => {
    const owner = (term: string) => deck.cards.filter((c) => c.terms.includes(term)).map((c) => c.id);
    for (const [term, id] of [
      ['nn.LSTM', 'lstm-gates'],
      ['LSTMCell', 'lstm-gates'],
      ['nn.GRU', 'gru-vs-lstm'],
      ['nn.RNN', 'vanilla-rnn'],
      ['hidden_size', 'vanilla-rnn'],
      ['bidirectional', 'bidirectional-rnn'],
      ['clip_grad_norm_', 'vanishing-exploding-gradients'],
      ['nn.CTCLoss', 'ctc'],
      ['RNNTLoss', 'speech-streaming-ctc-rnnt'],
      ['teacher forcing', 'teacher-forcing'],
      ['BPTT', 'bptt'],
      ['nn.init.orthogonal_', 'irnn-orthogonal-init'],
      ['seq2seq', 'seq2seq-bottleneck'],
    ]) assert.deepEqual(owner(term), [id]);
  });
});

describe('buildBundledDeck', () => {
  it('compiles both bundled decks into a version-1 bundle with root-relative paths', () => {
    const { bundle, diagnostics } = buildBundledDeck(ROOT);
    assert.deepEqual(diagnostics, []);
    assert.equal(bundle.version, 1);
    assert.equal(bundle.cards.filter((c) => c.deck === 'foundations').length, 13);
    const practice = bundle.cards.filter((c) => c.deck === 'practice');
    assert.ok(practice.length >= 20 && practice.length <= 30, `${practice.length} practice cards`);
    for (const c of practice) assert.match(c.file, /^cards\/practice\/[a-z0-9-]+\.md$/);
    const gates = bundle.cards.find((c) => c.id === 'lstm-gates')!;
    assert.equal(gates.file, 'cards/lstm-gates.md');
    assert.equal(gates.line, 10, 'the question line: 8 fields between two --- lines');
    assert.match(gates.questionHtml, /<span class="math" data-tex="c_t"><\/span>/);
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(bundle)));
  });

  it('reports a folder it cannot read as an error, without throwing', () => {
    const { bundle, diagnostics } = buildBundledDeck(ROOT, [{ id: 'foundations', dir: 'no-such-folder' }]);
    assert.equal(bundle.cards.length, 0);
    assert.deepEqual(diagnostics.map((d) => [d.file, d.severity]), [['no-such-folder', 'error']]);
  });
});
