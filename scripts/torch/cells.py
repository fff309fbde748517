"""PyTorch's own nn.RNN, nn.LSTM and nn.GRU, forward and autograd backward, as fixtures for the
lab engine's cells: test/fixtures/torch/cells.json. The unit tests (test/unit/engine/kernels-torch.test.ts)
compare every backend with these numbers, so they need no torch.

Regenerate (Debian's python3-torch, CPU; the output is deterministic for a given torch version):

    /usr/bin/python3 scripts/torch/cells.py

Each case runs in float64 with random weights (PyTorch's default init, seeded), a random h0 (and
c0), and a loss sum(dh * output) + sum(dhT * h_n) (+ sum(dcT * c_n) for the LSTM), so that the
gradients of every weight, bias, input and initial state are those of a random upstream gradient.

The weights are mapped into the engine's layout (docs/KERNELS.md): W = [weight_ih | weight_hh]
(G*H, D+H), b = bias_ih, bh = bias_hh, gate blocks reordered to the engine's:
- LSTM: PyTorch's i, f, g, o becomes f, i, g, o.
- GRU: PyTorch's r, z, n becomes z, r, n, and z's rows (weights and both biases) are negated:
  PyTorch writes h' = (1 - z) n + z h, the engine h' = (1 - z) h + z n, so the engine's z is
  PyTorch's 1 - z = sigmoid(-pre_z). PyTorch's n is the engine's resetAfter candidate.
Gradients map the same way (the map is a signed permutation of rows).
"""
import json
import os

import torch

from fixture import write_json

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'test', 'fixtures', 'torch', 'cells.json')

# name, cell, nonlinearity, bias, T, B, D, H
CASES = [
    ('rnn-tanh', 'rnn', 'tanh', True, 4, 2, 3, 5),
    ('rnn-relu', 'rnn', 'relu', True, 5, 3, 2, 4),
    ('rnn-tanh-one', 'rnn', 'tanh', True, 1, 1, 1, 1),
    ('rnn-relu-nobias', 'rnn', 'relu', False, 3, 2, 4, 3),
    ('lstm', 'lstm', 'tanh', True, 5, 3, 4, 6),
    ('lstm-small', 'lstm', 'tanh', True, 2, 1, 3, 2),
    ('lstm-nobias', 'lstm', 'tanh', False, 4, 2, 2, 4),
    ('gru', 'gru', 'tanh', True, 5, 3, 4, 6),
    ('gru-small', 'gru', 'tanh', True, 3, 1, 2, 3),
    ('gru-nobias', 'gru', 'tanh', False, 4, 2, 3, 5),
]


def to_ours(cell, m, H):
    """Rows of a (G*H, ...) PyTorch matrix or (G*H) vector, in the engine's gate order and signs."""
    if cell == 'lstm':
        i, f, g, o = m.split(H)
        return torch.cat([f, i, g, o])
    if cell == 'gru':
        r, z, n = m.split(H)
        return torch.cat([-z, r, n])
    return m


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def run(name, cell, nonlinearity, bias, T, B, D, H, seed):
    torch.manual_seed(seed)
    if cell == 'rnn':
        mod = torch.nn.RNN(D, H, nonlinearity=nonlinearity, bias=bias)
    elif cell == 'lstm':
        mod = torch.nn.LSTM(D, H, bias=bias)
    else:
        mod = torch.nn.GRU(D, H, bias=bias)
    mod = mod.double()
    x = torch.randn(T, B, D, dtype=torch.float64, requires_grad=True)
    h0 = (0.5 * torch.randn(1, B, H, dtype=torch.float64)).requires_grad_()
    c0 = (0.5 * torch.randn(1, B, H, dtype=torch.float64)).requires_grad_()
    dh = torch.randn(T, B, H, dtype=torch.float64)
    dhT = torch.randn(1, B, H, dtype=torch.float64)
    dcT = torch.randn(1, B, H, dtype=torch.float64)
    if cell == 'lstm':
        out, (hn, cn) = mod(x, (h0, c0))
        loss = (dh * out).sum() + (dhT * hn).sum() + (dcT * cn).sum()
    else:
        out, hn = mod(x, h0)
        loss = (dh * out).sum() + (dhT * hn).sum()
    loss.backward()

    def ours(t):
        return to_ours(cell, t.detach(), H)

    W = torch.cat([ours(mod.weight_ih_l0), ours(mod.weight_hh_l0)], dim=1)
    dW = torch.cat([ours(mod.weight_ih_l0.grad), ours(mod.weight_hh_l0.grad)], dim=1)
    G = W.shape[0] // H
    case = {
        'name': name, 'cell': cell, 'activation': nonlinearity, 'resetAfter': cell == 'gru',
        'shape': {'T': T, 'B': B, 'D': D, 'H': H},
        'W': flat(W), 'x': flat(x), 'h0': flat(h0), 'dh': flat(dh), 'dhT': flat(dhT),
        'h': flat(out), 'dW': flat(dW), 'dx': flat(x.grad), 'dh0': flat(h0.grad),
    }
    if bias:
        case.update({
            'b': flat(ours(mod.bias_ih_l0)), 'bh': flat(ours(mod.bias_hh_l0)),
            'db': flat(ours(mod.bias_ih_l0.grad)), 'dbh': flat(ours(mod.bias_hh_l0.grad)),
        })
    else:
        # Without biases the engine's b is zeros, and dL/db is still defined: it equals what
        # bias_ih's gradient would be, which PyTorch does not compute, so it is left out.
        case['b'] = [0.0] * (G * H)
    if cell == 'lstm':
        case.update({'c0': flat(c0), 'dcT': flat(dcT), 'cT': flat(cn), 'dc0': flat(c0.grad)})
    return case


def main():
    torch.set_grad_enabled(True)
    cases = [run(*c, seed=1000 + k) for k, c in enumerate(CASES)]
    doc = {
        'generator': 'scripts/torch/cells.py',
        'torch': torch.__version__,
        'cases': cases,
    }
    write_json(OUT, doc)


if __name__ == '__main__':
    main()
