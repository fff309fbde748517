// RNN context: whether a document is about recurrent networks, which lets weak terms match in it.

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
  ].join('|'),
);

/**
 * Whether a document is about RNNs, so that ordinary words (gate, state, cell, attention) may
 * be terms in it. One regular-expression scan: the host computes it once per document version.
 */
export function isRnnContext(text: string): boolean {
  return RNN_EVIDENCE.test(text);
}
