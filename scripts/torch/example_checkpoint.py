#!/usr/bin/python3
"""The example checkpoint examples/checkpoints/char_lstm.pt: examples/char_lstm.py's model
(an embedding of 32, a 2-layer LSTM of 128 units, a linear head), trained for a few epochs on
that file's corpus and saved with torch.save(model.state_dict(), ...), so that
"RNN Lens: Inspect Recurrent Layers" and `rnn-lens inspect` have a real model to open. Also
examples/checkpoints/char_lstm_epoch1.pt: the same run (same seed) after its first epoch, for the
inspector's "Compare with…" and `rnn-lens diff`.

Run with Debian's PyTorch: /usr/bin/python3 scripts/torch/example_checkpoint.py [EPOCHS]
"""
import importlib.util
import os
import sys

import torch

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
OUT = os.path.join(ROOT, 'examples', 'checkpoints', 'char_lstm.pt')
OUT_EPOCH1 = os.path.join(ROOT, 'examples', 'checkpoints', 'char_lstm_epoch1.pt')


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    save(epochs, OUT)
    save(1, OUT_EPOCH1)


def save(epochs, out):
    spec = importlib.util.spec_from_file_location('char_lstm', os.path.join(ROOT, 'examples', 'char_lstm.py'))
    char_lstm = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(char_lstm)
    torch.manual_seed(0)
    torch.set_num_threads(1)
    vocab = char_lstm.CharVocab(char_lstm.CORPUS)
    streams = char_lstm.batchify(vocab.encode(char_lstm.CORPUS), batch_size=8)
    model = char_lstm.CharLSTM(len(vocab))
    loss = char_lstm.train(model, streams, epochs=epochs)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    torch.save(model.state_dict(), out)
    print(f'{out}: {epochs} epochs, loss {loss:.3f}, {os.path.getsize(out)} bytes')


if __name__ == '__main__':
    main()
