#!/usr/bin/python3
"""Checkpoint fixtures for the readers (test/fixtures/checkpoints/), made by PyTorch itself.

One small model with the three recurrent kinds RNN Lens reads, plus an embedding and a linear
head that the readers must skip:

    encoder  nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    gru      nn.GRU(3, 5)                       (PyTorch's GRU is reset-after)
    rnn      nn.RNN(3, 4, nonlinearity='relu')

saved three ways: torch.save(state_dict) (model.pt, the zip format), safetensors
(model.safetensors, written here by hand: 8-byte header length, JSON header, raw data; F32 with
one tensor as F16 and one as BF16, to exercise the decoders), and NumPy (model.npz, np.savez;
model-compressed.npz, np.savez_compressed). expected.json holds, for every layer and direction,
an input x of shape (T, B, D) and the output of that one layer and direction run by PyTorch on
it (a reverse direction reads x backwards; its output is given in reading order). Also
hostile.pt: a zip whose pickle names posix.system, which a reader must refuse.

Run with Debian's PyTorch: sudo apt-get install python3-torch; /usr/bin/python3 scripts/torch/checkpoints.py
"""
import io
import json
import os
import pickle
import struct
import zipfile

import numpy as np
import torch

from fixture import write_json

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'checkpoints')
torch.manual_seed(7)


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(10, 3)
        self.encoder = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
        self.gru = torch.nn.GRU(3, 5)
        self.rnn = torch.nn.RNN(3, 4, nonlinearity='relu')
        self.head = torch.nn.Linear(4, 2)


def one_direction(kind, D, H, sd, suffix, nonlinearity='tanh'):
    """A single-layer, single-direction module holding the weights named by `suffix`."""
    if kind == 'lstm':
        m = torch.nn.LSTM(D, H)
    elif kind == 'gru':
        m = torch.nn.GRU(D, H)
    else:
        m = torch.nn.RNN(D, H, nonlinearity=nonlinearity)
    with torch.no_grad():
        for name in ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'):
            getattr(m, name + '_l0').copy_(sd[name + suffix])
    return m.double()


def r(values):
    return [round(float(v), 12) for v in values]


def main():
    os.makedirs(OUT, exist_ok=True)
    model = Model()
    sd = {k: v.detach().clone() for k, v in model.state_dict().items()}

    torch.save(model.state_dict(), os.path.join(OUT, 'model.pt'))

    arrays = {k: v.numpy() for k, v in sd.items()}
    np.savez(os.path.join(OUT, 'model.npz'), **arrays)
    np.savez_compressed(os.path.join(OUT, 'model-compressed.npz'), **arrays)

    # safetensors by hand: the format is 8 bytes of little-endian header length, a JSON header
    # naming each tensor's dtype, shape and [begin, end) byte offsets, then the raw data.
    header, blobs, offset = {'__metadata__': {'format': 'pt'}}, [], 0
    for name, t in sd.items():
        if name == 'gru.bias_hh_l0':
            dtype, data = 'F16', t.to(torch.float16).numpy().tobytes()
        elif name == 'rnn.bias_ih_l0':
            dtype, data = 'BF16', t.to(torch.bfloat16).view(torch.int16).numpy().tobytes()
        else:
            dtype, data = 'F32', t.numpy().astype('<f4').tobytes()
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header).encode()
    with open(os.path.join(OUT, 'model.safetensors'), 'wb') as f:
        f.write(struct.pack('<Q', len(head)) + head + b''.join(blobs))

    # What each layer and direction computes, by PyTorch, in float64.
    T, B = 5, 2
    cases = []
    layers = [('encoder', 'lstm', 3, 4, 0, False), ('encoder', 'lstm', 3, 4, 0, True),
              ('encoder', 'lstm', 8, 4, 1, False), ('encoder', 'lstm', 8, 4, 1, True),
              ('gru', 'gru', 3, 5, 0, False), ('rnn', 'rnn', 3, 4, 0, False)]
    for name, kind, D, H, layer, reverse in layers:
        suffix = f'_l{layer}' + ('_reverse' if reverse else '')
        sub = {k[len(name) + 1:]: v.double() for k, v in sd.items() if k.startswith(name + '.')}
        m = one_direction(kind, D, H, sub, suffix, 'relu' if name == 'rnn' else 'tanh')
        x = torch.randn(T, B, D, dtype=torch.float64)
        with torch.no_grad():
            # A reverse direction reads the sequence backwards: run it on x flipped in time, and
            # give its outputs in the order it produced them.
            y, _ = m(torch.flip(x, [0]) if reverse else x)
        cases.append({'name': name, 'layer': layer, 'reverse': reverse, 'cell': kind, 'D': D, 'H': H,
                      'T': T, 'B': B, 'x': r(x.flatten()), 'h': r(y.flatten())})
    write_json(os.path.join(OUT, 'expected.json'), {'cases': cases})

    # A hostile pickle inside a well-formed torch zip: unpickling it with pickle would run
    # os.system('echo pwned'). A reader must refuse the global and run nothing.
    class Evil:
        def __reduce__(self):
            return (os.system, ('echo pwned',))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_STORED) as z:
        z.writestr('hostile/data.pkl', pickle.dumps({'x': Evil()}, protocol=2))
        z.writestr('hostile/version', '3\n')
    with open(os.path.join(OUT, 'hostile.pt'), 'wb') as f:
        f.write(buf.getvalue())


if __name__ == '__main__':
    main()
