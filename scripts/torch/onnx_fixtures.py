#!/usr/bin/python3
"""ONNX fixtures for the ONNX reader (test/fixtures/checkpoints/onnx/), exported by PyTorch itself.

    lstm2bi.onnx    nn.LSTM(3, 4, num_layers=2, bidirectional=True)   two LSTM nodes, bidirectional
    gru.onnx        nn.GRU(3, 5)                                       linear_before_reset=1
    rnn_relu.onnx   nn.RNN(3, 4, nonlinearity='relu')                  activations=['Relu']
    encoder.onnx    Linear(6, 3) → LSTM(3, 4) → Linear(4, 2)           an LSTM between other nodes
    mlp.onnx        Linear(3, 8) → ReLU → Linear(8, 2)                 no recurrent node

each exported with torch.onnx.export (opset 14), and what PyTorch does not export, built with
onnx.helper (its reference the ONNX operators' formulas, in NumPy, float64):

    options.onnx    GRU reverse, linear_before_reset=0 (non-zero Rb); LSTM [HardSigmoid, Tanh, Tanh]
                    with clip=50 (read with a warning); RNN bidirectional, activations [Relu, Tanh];
                    and, left out with a warning each: an LSTM with non-zero peepholes, an LSTM
                    with input_forget=1, an RNN with activation Elu, a GRU whose W is a graph input

All are checked with onnx.checker.check_model.
expected.json holds, for every recurrent node (in graph order, `layer` its index among them,
`name` its ONNX node name) and direction, an input x of shape (T, B, D) and what the equivalent
single-layer, single-direction PyTorch module computes on it in float64 (a reverse direction
reads x backwards; its output is given in the order it was produced), and for mlp.onnx its op
types. No onnxruntime: PyTorch's own modules are the reference.

Run with Debian's PyTorch: /usr/bin/python3 scripts/torch/onnx_fixtures.py
"""
import io
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

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
                # The NumPy reference of the hand-made model (run_onnx) on this node agrees with PyTorch.
                init = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in g.initializer}
                W, R, Bv = (init[n][1 if reverse else 0] for n in node.input[1:4])
                acts = [a.decode() for a in next((a.strings for a in node.attribute if a.name == 'activations'), [])]
                acts = acts or {'LSTM': ['Sigmoid', 'Tanh', 'Tanh'], 'GRU': ['Sigmoid', 'Tanh'], 'RNN': ['Tanh']}[node.op_type]
                lbr = next((a.i for a in node.attribute if a.name == 'linear_before_reset'), 0)
                ref = run_onnx(node.op_type, np.flip(x.numpy(), 0) if reverse else x.numpy(), W, R, Bv, acts, lbr)
                assert np.abs(ref - y.numpy()).max() < 1e-6, (fname, node.name, reverse)
        files[fname] = {'cases': cases}

    mlp = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    g = export(mlp, 3, 'mlp.onnx').graph
    files['mlp.onnx'] = {'cases': [], 'ops': [n.op_type for n in g.node]}
    files['options.onnx'] = hand_made()
    write_json(os.path.join(OUT, 'expected.json'), {'opset': OPSET, 'files': files})
    for fname in files:
        print(f'{fname}: {os.path.getsize(os.path.join(OUT, fname))} bytes')


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def hard_sigmoid(v):
    return np.clip(0.2 * v + 0.5, 0, 1)


ACT = {'Sigmoid': sigmoid, 'HardSigmoid': hard_sigmoid, 'Tanh': np.tanh, 'Relu': lambda v: np.maximum(v, 0)}


def run_onnx(op, x, W, R, B, acts, lbr=0):
    """One direction of an ONNX LSTM / GRU / RNN on x (T, B, D), from zero state: its outputs (T, B, H)."""
    H = R.shape[1]
    Wb, Rb = B[:B.shape[0] // 2], B[B.shape[0] // 2:]
    h = np.zeros((x.shape[1], H))
    c = np.zeros_like(h)
    f = [ACT[a] for a in acts]
    ys = []
    for xt in x:
        if op == 'LSTM':
            a = xt @ W.T + h @ R.T + Wb + Rb
            i, o, fg, g = (a[:, k * H:(k + 1) * H] for k in range(4))
            c = f[0](fg) * c + f[0](i) * f[1](g)
            h = f[0](o) * f[2](c)
        elif op == 'GRU':
            ax = xt @ W.T + Wb
            ah = h @ R.T + Rb
            z = f[0](ax[:, :H] + ah[:, :H])
            r = f[0](ax[:, H:2 * H] + ah[:, H:2 * H])
            if lbr:
                n = f[1](ax[:, 2 * H:] + r * ah[:, 2 * H:])
            else:
                n = f[1](ax[:, 2 * H:] + (r * h) @ R[2 * H:].T + Rb[2 * H:])
            h = (1 - z) * n + z * h
        else:
            h = f[0](xt @ W.T + h @ R.T + Wb + Rb)
        ys.append(h)
    return np.stack(ys)


def hand_made():
    """options.onnx (see the module's docstring) and its cases."""
    rng = np.random.default_rng(5)
    D = 3
    G = {'LSTM': 4, 'GRU': 3, 'RNN': 1}
    inits, nodes, cases, outputs = [], [], [], []
    specs = [
        # name, op, H, direction, attributes, activations per direction (None: left out), extra
        ('gru_lbr0_reverse', 'GRU', 3, 'reverse', {'linear_before_reset': 0}, [['Sigmoid', 'Tanh']], {}),
        ('lstm_hard', 'LSTM', 2, 'forward', {'activations': ['HardSigmoid', 'Tanh', 'Tanh'], 'clip': 50.0},
         [['HardSigmoid', 'Tanh', 'Tanh']], {}),
        ('rnn_bi', 'RNN', 4, 'bidirectional', {'activations': ['Relu', 'Tanh']}, [['Relu'], ['Tanh']], {}),
        ('lstm_peephole', 'LSTM', 2, 'forward', {}, None, {'P': True}),
        ('lstm_input_forget', 'LSTM', 2, 'forward', {'input_forget': 1}, None, {}),
        ('rnn_elu', 'RNN', 2, 'forward', {'activations': ['Elu']}, None, {}),
        ('gru_w_input', 'GRU', 2, 'forward', {}, None, {'W_input': True}),
    ]
    k = 0
    graph_inputs = [helper.make_tensor_value_info('x', TensorProto.FLOAT, [T, B, D])]
    for name, op, H, direction, attrs, acts, extra in specs:
        nd = 2 if direction == 'bidirectional' else 1
        W = (rng.standard_normal((nd, G[op] * H, D)) * 0.5).astype(np.float32)
        R = (rng.standard_normal((nd, G[op] * H, H)) * 0.5).astype(np.float32)
        Bv = (rng.standard_normal((nd, 2 * G[op] * H)) * 0.5).astype(np.float32)
        wname = f'{name}.W'
        if extra.get('W_input'):
            graph_inputs.append(helper.make_tensor_value_info(wname, TensorProto.FLOAT, list(W.shape)))
        else:
            inits.append(numpy_helper.from_array(W, wname))
        inits += [numpy_helper.from_array(R, f'{name}.R'), numpy_helper.from_array(Bv, f'{name}.B')]
        inputs = ['x', wname, f'{name}.R', f'{name}.B']
        if extra.get('P'):
            inits.append(numpy_helper.from_array((rng.standard_normal((nd, 3 * H))).astype(np.float32), f'{name}.P'))
            inputs += ['', '', '', f'{name}.P']
        nodes.append(helper.make_node(op, inputs, [f'{name}.Y'], name=name, hidden_size=H, direction=direction, **attrs))
        outputs.append(helper.make_tensor_value_info(f'{name}.Y', TensorProto.FLOAT, [T, nd, B, H]))
        if acts is not None:
            for d in range(nd):
                reverse = direction == 'reverse' or d == 1
                x = rng.standard_normal((T, B, D))
                y = run_onnx(op, x[::-1] if reverse else x, W[d].astype(np.float64), R[d].astype(np.float64),
                             Bv[d].astype(np.float64), acts[d], attrs.get('linear_before_reset', 0))
                cases.append({'name': name, 'layer': k, 'reverse': reverse, 'cell': op.lower(), 'D': D, 'H': H,
                              'T': T, 'B': B, 'x': r(x.flatten()), 'h': r(y.flatten())})
        k += 1
    g = helper.make_graph(nodes, 'options', graph_inputs, outputs, initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid('', OPSET)], producer_name='onnx_fixtures.py')
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, 'options.onnx'))
    return {'cases': cases}


if __name__ == '__main__':
    main()
