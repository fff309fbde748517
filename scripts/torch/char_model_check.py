"""PyTorch's view of the character models `rnn-lens train` writes, for test/unit/engine/charlm-torch.test.ts.

The model class follows the structure of pytorch/examples' word_language_model RNNModel (an
nn.Embedding encoder, one nn.LSTM / nn.GRU / nn.RNN(tanh) of nlayers, an nn.Linear decoder, no
tied weights, dropout left out: it has no parameters and is off in eval). It loads the exported
.safetensors with load_state_dict(strict=True): the safetensors file is read here with struct,
json and torch.frombuffer (the `safetensors` package is not needed). In float32 it computes

  (a) the mean next-character cross-entropy (nats) of the whole text read as one sequence from a
      zero state (N - 1 predictions), and the log-softmax of the next-character distribution at
      a few positions;
  (b) for a fixed batch (T x B windows of the text, time-major, from a zero state) the mean
      cross-entropy and its gradient wrt every parameter: encoder.weight, rnn.*, decoder.*.

Characters map to ids by the file's `vocab` metadata; one outside it reads as U+FFFD's id where
the vocabulary has it (the engine's OTHER_SYMBOL).

Regenerate the fixtures (from the repository root, after `node esbuild.mjs`):

  for cell in lstm gru rnn; do for L in 1 2; do
    node dist/cli.js train test/fixtures/charlm/text.txt --cell $cell --layers $L --hidden 8 \
      --embedding 6 --batch 4 --bptt 16 --steps 30 --lr 0.01 --seed 5 --backend js \
      --out test/fixtures/charlm/$cell-l$L.safetensors
  done; done
  /usr/bin/python3 scripts/torch/char_model_check.py

which writes test/fixtures/charlm/<cell>-l<L>.json beside each .safetensors.

Check mode: compare the engine's own whole-file loss (the CLI's --json) with PyTorch's; exits 1
on a mismatch (relative difference over 1e-5) or a different vocabulary:

  node dist/cli.js train TEXT --out m.safetensors --json > m.json
  /usr/bin/python3 scripts/torch/char_model_check.py --check m.safetensors TEXT m.json

Run with Debian's python3-torch (1.13).
"""
import glob
import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture import write_json

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, 'test', 'fixtures', 'charlm')
OTHER_SYMBOL = '\ufffd'
# Positions whose next-character distribution the fixture keeps (p predicts text[p + 1]).
POSITIONS = [0, 1, 7, 100, 1000]
# The gradient batch: B windows of T characters, window b starting at b * (N // B).
BATCH_T, BATCH_B = 12, 3


def read_safetensors(path):
    """The tensors (float32, by name) and the metadata of a .safetensors file."""
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n].decode('utf-8'))
    meta = header.pop('__metadata__', {})
    body = bytearray(raw[8 + n:])
    tensors = {}
    for name, info in header.items():
        if info['dtype'] != 'F32':
            raise ValueError(f'{name}: dtype {info["dtype"]}, expected F32')
        start, end = info['data_offsets']
        t = torch.frombuffer(body, dtype=torch.float32, count=(end - start) // 4, offset=start)
        tensors[name] = t.reshape(info['shape']).clone()
    return tensors, meta


class RNNModel(nn.Module):
    """Encoder, a recurrent module of nlayers, decoder: word_language_model's structure."""

    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        if rnn_type in ('LSTM', 'GRU'):
            self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers)
        else:
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity='tanh' if rnn_type == 'RNN_TANH' else 'relu')
        self.decoder = nn.Linear(nhid, ntoken)

    def forward(self, tokens, hidden=None):
        output, hidden = self.rnn(self.encoder(tokens), hidden)
        return self.decoder(output), hidden


def load_model(path):
    tensors, meta = read_safetensors(path)
    model = RNNModel(meta['rnn_type'], int(meta['ntoken']), int(meta['ninp']), int(meta['nhid']), int(meta['nlayers']))
    model.load_state_dict(tensors, strict=True)
    return model.float(), json.loads(meta['vocab']), meta


def encode(text, vocab):
    index = {ch: i for i, ch in enumerate(vocab)}
    other = index.get(OTHER_SYMBOL)
    ids = []
    for ch in text:  # code points, as the engine's textCharacters
        k = index.get(ch, other)
        if k is None:
            raise ValueError(f'character {ch!r} is not in the vocabulary')
        ids.append(k)
    return torch.tensor(ids, dtype=torch.long)


def whole_text(model, ids):
    """The mean cross-entropy of ids as one sequence from a zero state, and the log-softmax rows."""
    with torch.no_grad():
        logits, _ = model(ids[:-1].unsqueeze(1))
        logits = logits.squeeze(1)
        loss = F.cross_entropy(logits, ids[1:])
        logp = F.log_softmax(logits, dim=1)
    return loss.item(), logp


def batch_grads(model, ids):
    N = len(ids)
    stride = N // BATCH_B
    starts = [b * stride for b in range(BATCH_B)]
    tokens = torch.stack([ids[s:s + BATCH_T] for s in starts], dim=1)  # (T, B), time-major
    targets = torch.stack([ids[s + 1:s + BATCH_T + 1] for s in starts], dim=1)
    model.zero_grad()
    logits, _ = model(tokens)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
    loss.backward()
    grads = {name: p.grad.reshape(-1).tolist() for name, p in model.named_parameters()}
    return {'T': BATCH_T, 'B': BATCH_B, 'tokens': tokens.reshape(-1).tolist(), 'targets': targets.reshape(-1).tolist(),
            'loss': loss.item(), 'grads': grads}


def short(x):
    return float(f'{x:.9g}')


def fixture(path, text):
    model, vocab, meta = load_model(path)
    ids = encode(text, vocab)
    loss, logp = whole_text(model, ids)
    positions = [p for p in POSITIONS if p < len(ids) - 1]
    g = batch_grads(model, ids)
    g['grads'] = {k: [short(v) for v in vals] for k, vals in g['grads'].items()}
    return {
        'model': os.path.basename(path), 'cell': meta['cell'], 'nlayers': int(meta['nlayers']), 'vocab': vocab,
        'evalLoss': loss, 'positions': positions, 'logProbs': [[short(v) for v in logp[p].tolist()] for p in positions],
        'batch': g,
    }


def check(model_path, text_path, result_path):
    model, vocab, _ = load_model(model_path)
    with open(text_path, encoding='utf-8') as f:
        text = f.read()
    with open(result_path, encoding='utf-8') as f:
        ours = json.load(f)
    torch_loss, _ = whole_text(model, encode(text, vocab))
    rel = abs(ours['evalLoss'] - torch_loss) / abs(torch_loss)
    ok = ours['vocab'] == vocab and rel <= 1e-5
    print(f'{"ok" if ok else "MISMATCH"}: engine {ours["evalLoss"]:.8f}, torch {torch_loss:.8f} nats/char '
          f'(relative difference {rel:.2e}); vocabulary {"same" if ours["vocab"] == vocab else "differs"}')
    return 0 if ok else 1


def main(argv):
    if argv[:1] == ['--check']:
        if len(argv) != 4:
            print('usage: char_model_check.py --check MODEL.safetensors TEXT RESULT.json', file=sys.stderr)
            return 2
        return check(*argv[1:])
    torch.manual_seed(0)
    with open(os.path.join(FIXTURES, 'text.txt'), encoding='utf-8') as f:
        text = f.read()
    models = sorted(glob.glob(os.path.join(FIXTURES, '*.safetensors')))
    if not models:
        print(f'no .safetensors under {FIXTURES}: run the train commands in this script\'s header first', file=sys.stderr)
        return 1
    for path in models:
        write_json(path[:-len('.safetensors')] + '.json', fixture(path, text))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
