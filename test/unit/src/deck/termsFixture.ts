// Cards for the matcher's unit tests: real-looking terms, independent of the shipped deck so the
// tests pin the matcher's rules rather than today's card wording.
import type { Card } from '../../../../src/deck/card';

export function card(id: string, terms: string[], extra: Partial<Card> = {}): Card {
  return {
    id, level: 'intermediate', kind: 'concept', tags: [], terms,
    question: `Question about ${id}?`, answer: `Answer about ${id}.`,
    questionHtml: '', answerHtml: '', file: `cards/${id}.md`, line: 6,
    ...extra,
  };
}

export const FIXTURE_CARDS: Card[] = [
  card('lstm-gates', ['LSTM', 'forget gate', 'input gate', 'output gate', 'cell state', 'nn.LSTM', 'LSTMCell', 'tf.keras.layers.LSTM']),
  card('gru-vs-lstm', ['GRU', 'GRUCell', 'nn.GRU', 'torch.nn.GRU', 'update gate', 'reset gate', 'LSTM']),
  card('vanilla-rnn', ['RNN', 'nn.RNN', 'SimpleRNN', 'tf.keras.layers.SimpleRNN', 'hidden state', 'hidden_size', 'Elman']),
  card('bidirectional-rnn', ['bidirectional=True', 'Bidirectional', 'bidirectional RNN']),
  card('bptt', ['BPTT', 'backpropagation through time', 'truncated BPTT', 'clip_grad_norm_', 'torch.nn.utils.clip_grad_norm_']),
  card('vanishing-gradients', ['vanishing gradients', 'exploding gradients', 'gradient clipping']),
  card('teacher-forcing', ['teacher forcing', 'exposure bias', 'scheduled sampling']),
  card('ctc', ['CTC', 'F.ctc_loss', 'nn.CTCLoss', 'blank token', 'Connectionist Temporal Classification']),
  card('seq2seq-attention', ['seq2seq', 'encoder-decoder', 'attention', 'context vector']),
  card('lstm-numpy', ['LSTM', 'lstm cell forward'], { priority: -1 }),
];
