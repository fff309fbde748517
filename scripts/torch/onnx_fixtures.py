#!/usr/bin/python3
"""ONNX fixtures for the ONNX reader (test/fixtures/checkpoints/onnx/), exported by PyTorch itself.

    lstm2bi.onnx    nn.LSTM(3, 4, num_layers=2, bidirectional=True)   two LSTM nodes, bidirectional
    gru.onnx        nn.GRU(3, 5)                                       linear_before_reset=1
    rnn_relu.onnx   nn.RNN(3, 4, nonlinearity='relu')                  activations=['Relu']
    encoder.onnx    Linear(6, 3) → LSTM(3, 4) → Linear(4, 2)           an LSTM between other nodes
    mlp.onnx        Linear(3, 8) → ReLU → Linear(8, 2)                 no recurrent node

each exported with torch.onnx.export (opset 14) and checked with onnx.checker.check_model.
expected.json holds, for every recurrent node (in graph order, `layer` its index among them,
`name` its ONNX node name) and direction, an input x of shape (T, B, D) and what the equivalent
single-layer, single-direction PyTorch module computes on it in float64 (a reverse direction
reads x backwards; its output is given in the order it was produced), and for mlp.onnx its op
types. No onnxruntime: PyTorch's own modules are the reference.

Run with Debian's PyTorch: /usr/bin/python3 scripts/torch/onnx_fixtures.py
"""
import io
import os

import onnx
import torch

from fixture import write_json

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'checkpoints', 'onnx')
OPSET = 14
T, B = 5, 2
torch.manual_seed(11)


class Encoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = torch.nn.Linear(6, 3)
        self.lstm = torch.nn.LSTM(3, 4)
        self.out = torch.nn.Linear(4, 2)

    def forward(self, x):
        y, _ = self.lstm(self.inp(x))
        return self.out(y)


class Recurrent(torch.nn.Module):
    """The module's output sequence only, so the export has one output."""
    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        y, _ = self.rnn(x)
        return y


def export(model, D, name):
    model.eval()
    buf = io.BytesIO()
    torch.onnx.export(model, torch.randn(T, B, D), buf, opset_version=OPSET, input_names=['x'], output_names=['y'])
    data = buf.getvalue()
    m = onnx.load_from_string(data)
    onnx.checker.check_model(m)
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)
    return m


def one_direction(rnn, layer, reverse):
    """A single-layer, single-direction float64 module holding one layer and direction of `rnn`."""
    kind = type(rnn).__name__
    D = rnn.input_size if layer == 0 else rnn.hidden_size * (2 if rnn.bidirectional else 1)
    H = rnn.hidden_size
    if kind == 'LSTM':
        m = torch.nn.LSTM(D, H)
    elif kind == 'GRU':
        m = torch.nn.GRU(D, H)
    else:
        m = torch.nn.RNN(D, H, nonlinearity=rnn.nonlinearity)
    suffix = f'_l{layer}' + ('_reverse' if reverse else '')
    with torch.no_grad():
        for part in ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'):
            getattr(m, part + '_l0').copy_(getattr(rnn, part + suffix))
    return m.double(), kind.lower(), D, H


def r(values):
    return [round(float(v), 12) for v in values]


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {}
    models = [
        ('lstm2bi.onnx', Recurrent(torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)), 3, lambda m: m.rnn),
        ('gru.onnx', Recurrent(torch.nn.GRU(3, 5)), 3, lambda m: m.rnn),
        ('rnn_relu.onnx', Recurrent(torch.nn.RNN(3, 4, nonlinearity='relu')), 3, lambda m: m.rnn),
        ('encoder.onnx', Encoder(), 6, lambda m: m.lstm),
    ]
    for fname, model, D0, rnn_of in models:
        g = export(model, D0, fname).graph
        rnn = rnn_of(model)
        nodes = [n for n in g.node if n.op_type in ('LSTM', 'GRU', 'RNN')]
        assert len(nodes) == rnn.num_layers, (fname, [n.op_type for n in g.node])
        cases = []
        for layer, node in enumerate(nodes):
            for reverse in ([False, True] if rnn.bidirectional else [False]):
                m, cell, D, H = one_direction(rnn, layer, reverse)
                x = torch.randn(T, B, D, dtype=torch.float64)
                with torch.no_grad():
                    y, _ = m(torch.flip(x, [0]) if reverse else x)
                cases.append({'name': node.name, 'layer': layer, 'reverse': reverse, 'cell': cell, 'D': D, 'H': H,
                              'T': T, 'B': B, 'x': r(x.flatten()), 'h': r(y.flatten())})
        files[fname] = {'cases': cases}

    mlp = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    g = export(mlp, 3, 'mlp.onnx').graph
    files['mlp.onnx'] = {'cases': [], 'ops': [n.op_type for n in g.node]}
    write_json(os.path.join(OUT, 'expected.json'), {'opset': OPSET, 'files': files})
    for fname in files:
        print(f'{fname}: {os.path.getsize(os.path.join(OUT, fname))} bytes')


if __name__ == '__main__':
    main()
