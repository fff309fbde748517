#!/usr/bin/python3
"""Checkpoints as users save them (test/fixtures/checkpoints/formats/), made by PyTorch itself.

One model, `Net`, with every recurrent module PyTorch has and a few that are not recurrent:

    lstm   nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    gru    nn.GRU(3, 5)
    rnn    nn.RNN(3, 4, nonlinearity='relu')
    proj   nn.LSTM(3, 5, num_layers=2, proj_size=2)
    cell   nn.LSTMCell(3, 4);  gcell nn.GRUCell(3, 4);  rcell nn.RNNCell(3, 4, nonlinearity='relu')
    embed  nn.Embedding(10, 3); head nn.Linear(4, 2)

saved the ways tutorials and libraries save it:
    general.pt      the tutorial's general checkpoint {epoch, model_state_dict, optimizer_state_dict, loss}
    encdec.pt       several models in one file, {encoder: …, decoder: …, extra: {deep: {rnn: …}}}
    lightning.ckpt  PyTorch Lightning's checkpoint layout (its keys, the `model.` prefix of a
                    LightningModule attribute, hyper_parameters, optimizer_states), written with torch.save
                    (Lightning itself is not installable here; the dict is the one it writes)
    whole.pt        torch.save(model): the whole module, its class pickled as __main__.Net
    legacy.pt       torch.save(state_dict, _use_new_zipfile_serialization=False), the format before 1.6
    legacy-whole.pt torch.save(model, _use_new_zipfile_serialization=False)
    script.pt       torch.jit.save(torch.jit.script(model)), a TorchScript archive
    transformer.pt  an nn.TransformerEncoder's state_dict (2 layers): no recurrent layer
    diff/before.pt, diff/after.pt  state_dicts before and after three Adam steps, and diff/expected.json:
                    per layer, PyTorch gate and matrix the relative change ‖B−A‖/‖A‖, each W_hh
                    block's spectral radius and the forget/update gate's mean bias, computed here
    sharded/        the safetensors of Net split in two shards with model.safetensors.index.json, as
                    Hugging Face's save_pretrained writes them (written by hand: safetensors is not
                    installable here; the format is 8-byte header length, JSON header, raw data); and
                    the same split as torch.save shards with pytorch_model.bin.index.json
                    (save_pretrained(safe_serialization=False))
expected.json: for every recurrent layer and direction, an input x (T, B, D) and the output of that
one layer and direction computed by PyTorch in float64 (a reverse direction reads x backwards; its
outputs are given in the order it produced them; a cell is applied step by step).

Run with Debian's PyTorch: sudo apt-get install python3-torch; /usr/bin/python3 scripts/torch/checkpoint_formats.py
"""
import json
import os
import struct

import torch

from fixture import write_json

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'checkpoints', 'formats')
torch.manual_seed(11)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(10, 3)
        self.lstm = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
        self.gru = torch.nn.GRU(3, 5)
        self.rnn = torch.nn.RNN(3, 4, nonlinearity='relu')
        self.proj = torch.nn.LSTM(3, 5, num_layers=2, proj_size=2)
        self.cell = torch.nn.LSTMCell(3, 4)
        self.gcell = torch.nn.GRUCell(3, 4)
        self.rcell = torch.nn.RNNCell(3, 4, nonlinearity='relu')
        self.head = torch.nn.Linear(4, 2)

    def forward(self, x):
        y = self.lstm(x)[0].sum() + self.gru(x)[0].sum() + self.rnn(x)[0].sum() + self.proj(x)[0].sum()
        return y + self.cell(x[0])[0].sum() + self.gcell(x[0]).sum() + self.rcell(x[0]).sum()


def r(values):
    return [round(float(v), 12) for v in values]


def single(kind, D, H, sd, suffix, nonlinearity='tanh', proj=0):
    """One layer and direction of module `kind` holding the weights named by `suffix`, in float64."""
    if kind == 'lstm':
        m = torch.nn.LSTM(D, H, proj_size=proj)
    elif kind == 'gru':
        m = torch.nn.GRU(D, H)
    else:
        m = torch.nn.RNN(D, H, nonlinearity=nonlinearity)
    names = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'] + (['weight_hr'] if proj else [])
    with torch.no_grad():
        for name in names:
            getattr(m, name + '_l0').copy_(sd[name + suffix])
    return m.double()


def expected(model):
    sd = {k: v.detach().double() for k, v in model.state_dict().items()}
    T, B = 5, 2
    cases = []
    layers = [('lstm', 'lstm', 3, 4, 0, False, 0), ('lstm', 'lstm', 3, 4, 0, True, 0),
              ('lstm', 'lstm', 8, 4, 1, False, 0), ('lstm', 'lstm', 8, 4, 1, True, 0),
              ('gru', 'gru', 3, 5, 0, False, 0), ('rnn', 'rnn', 3, 4, 0, False, 0),
              ('proj', 'lstm', 3, 5, 0, False, 2), ('proj', 'lstm', 2, 5, 1, False, 2)]
    for name, kind, D, H, layer, reverse, proj in layers:
        suffix = f'_l{layer}' + ('_reverse' if reverse else '')
        sub = {k[len(name) + 1:]: v for k, v in sd.items() if k.startswith(name + '.')}
        m = single(kind, D, H, sub, suffix, 'relu' if name == 'rnn' else 'tanh', proj)
        x = torch.randn(T, B, D, dtype=torch.float64)
        with torch.no_grad():
            y, _ = m(torch.flip(x, [0]) if reverse else x)
        cases.append({'name': name, 'layer': layer, 'reverse': reverse, 'cell': kind, 'D': D, 'H': H,
                      'T': T, 'B': B, 'x': r(x.flatten()), 'h': r(y.flatten())})
    for name, kind in (('cell', 'lstm'), ('gcell', 'gru'), ('rcell', 'rnn')):
        mod = getattr(model, name).double()
        x = torch.randn(T, B, 3, dtype=torch.float64)
        hs, state = [], None
        with torch.no_grad():
            for t in range(T):
                state = mod(x[t], state)
                hs.append(state[0] if kind == 'lstm' else state)
        cases.append({'name': name, 'layer': 0, 'reverse': False, 'cell': kind, 'D': 3, 'H': 4,
                      'T': T, 'B': B, 'x': r(x.flatten()), 'h': r(torch.stack(hs).flatten())})
        mod.float()
    return cases


LETTERS = {'lstm': 'ifgo', 'gru': 'rzn', 'rnn': 'h'}


def diff_expected(a, b, model):
    """What `rnn-lens diff a b` must find, computed from the tensors with torch.linalg."""
    kinds = {name: ('lstm' if isinstance(m, (torch.nn.LSTM, torch.nn.LSTMCell)) else 'gru'
                    if isinstance(m, (torch.nn.GRU, torch.nn.GRUCell)) else 'rnn')
             for name, m in model.named_modules() if isinstance(m, (torch.nn.RNNBase, torch.nn.RNNCellBase))}
    out = []
    for key in a:
        if '.weight_hh' not in key:
            continue
        name, rest = key.split('.', 1)
        suffix = rest[len('weight_hh'):]
        kind = kinds[name]
        H = a[key].shape[0] // len(LETTERS[kind])
        gates = []
        for q, letter in enumerate(LETTERS[kind]):
            for matrix, part in (('W_ih', 'weight_ih'), ('W_hh', 'weight_hh'), ('b_ih', 'bias_ih'), ('b_hh', 'bias_hh')):
                ta, tb = a[f'{name}.{part}{suffix}'][q * H:(q + 1) * H].double(), b[f'{name}.{part}{suffix}'][q * H:(q + 1) * H].double()
                g = {'gate': letter, 'matrix': matrix, 'relChange': float(torch.linalg.norm(tb - ta) / torch.linalg.norm(ta))}
                if matrix == 'W_hh':
                    hr = f'{name}.weight_hr{suffix}'
                    ma, mb = (ta @ a[hr].double(), tb @ b[hr].double()) if hr in a else (ta, tb)
                    g['radiusA'] = float(torch.linalg.eigvals(ma).abs().max())
                    g['radiusB'] = float(torch.linalg.eigvals(mb).abs().max())
                gates.append(g)
        hr = f'{name}.weight_hr{suffix}'
        if hr in a:
            gates.append({'gate': 'all', 'matrix': 'W_hr', 'relChange': float(torch.linalg.norm(b[hr] - a[hr]) / torch.linalg.norm(a[hr]))})
        layer = int(suffix[2]) if suffix.startswith('_l') else 0
        reverse = suffix.endswith('_reverse')
        fb = None
        if kind != 'rnn':
            q = 1 if kind == 'lstm' else 1
            bias = lambda sd: float((sd[f'{name}.bias_ih{suffix}'][q * H:(q + 1) * H] + sd[f'{name}.bias_hh{suffix}'][q * H:(q + 1) * H]).double().mean())
            fb = {'gate': 'forget' if kind == 'lstm' else 'update', 'before': bias(a), 'after': bias(b)}
        out.append({'name': name, 'layer': layer, 'reverse': reverse, 'cell': kind, 'gates': gates, 'forgetBias': fb})
    return out


def safetensors_bytes(tensors):
    header, blobs, offset = {'__metadata__': {'format': 'pt'}}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header).encode()
    return struct.pack('<Q', len(head)) + head + b''.join(blobs)


def main():
    os.makedirs(os.path.join(OUT, 'sharded'), exist_ok=True)
    os.makedirs(os.path.join(OUT, 'diff'), exist_ok=True)
    model = Net()
    sd = model.state_dict()
    before = {k: v.detach().clone() for k, v in sd.items()}
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(3):
        opt.zero_grad()
        model(torch.randn(5, 2, 3)).backward()
        opt.step()
    after = {k: v.detach().clone() for k, v in sd.items()}
    torch.save(before, os.path.join(OUT, 'diff', 'before.pt'))
    torch.save(after, os.path.join(OUT, 'diff', 'after.pt'))
    write_json(os.path.join(OUT, 'diff', 'expected.json'), {'layers': diff_expected(before, after, model)})
    p = lambda name: os.path.join(OUT, name)
    torch.save({'epoch': 3, 'model_state_dict': model.state_dict(), 'optimizer_state_dict': opt.state_dict(), 'loss': 0.42},
               p('general.pt'))
    enc = {k[5:]: v for k, v in sd.items() if k.startswith('lstm.')}
    dec = {k[4:]: v for k, v in sd.items() if k.startswith('gru.')}
    deep = {k[4:]: v for k, v in sd.items() if k.startswith('rnn.')}
    torch.save({'encoder': {'rnn': enc}, 'decoder': {'rnn': dec}, 'extra': {'deep': {'rnn': deep}}, 'vocab': ['a', 'b']},
               p('encdec.pt'))
    torch.save({
        'epoch': 4, 'global_step': 120, 'pytorch-lightning_version': '2.4.0',
        'state_dict': {f'model.{k}': v for k, v in sd.items()},
        'loops': {'fit_loop': {'state_dict': {}, 'epoch_progress': {'total': {'ready': 5}}}},
        'callbacks': {"ModelCheckpoint{'monitor': 'val_loss'}": {'best_model_score': torch.tensor(0.3)}},
        'optimizer_states': [opt.state_dict()], 'lr_schedulers': [],
        'hparams_name': 'kwargs', 'hyper_parameters': {'hidden': 4, 'lr': 1e-3},
    }, p('lightning.ckpt'))
    torch.save(model, p('whole.pt'))
    torch.save(sd, p('legacy.pt'), _use_new_zipfile_serialization=False)
    torch.save(model, p('legacy-whole.pt'), _use_new_zipfile_serialization=False)
    torch.jit.save(torch.jit.script(model), p('script.pt'))
    enc_layer = torch.nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16)
    torch.save(torch.nn.TransformerEncoder(enc_layer, num_layers=2).state_dict(), p('transformer.pt'))

    names = list(sd.keys())
    half = len(names) // 2
    shards = [names[:half], names[half:]]
    weight_map = {}
    for i, part in enumerate(shards):
        file = f'model-{i + 1:05d}-of-{len(shards):05d}.safetensors'
        with open(os.path.join(OUT, 'sharded', file), 'wb') as f:
            f.write(safetensors_bytes({k: sd[k] for k in part}))
        weight_map.update({k: file for k in part})
    total = sum(t.numel() * 4 for t in sd.values())
    with open(os.path.join(OUT, 'sharded', 'model.safetensors.index.json'), 'w') as f:
        json.dump({'metadata': {'total_size': total}, 'weight_map': weight_map}, f, indent=2)
        f.write('\n')
    bin_map = {}
    for i, part in enumerate(shards):
        file = f'pytorch_model-{i + 1:05d}-of-{len(shards):05d}.bin'
        torch.save({k: sd[k].detach().clone() for k in part}, os.path.join(OUT, 'sharded', file))
        bin_map.update({k: file for k in part})
    with open(os.path.join(OUT, 'sharded', 'pytorch_model.bin.index.json'), 'w') as f:
        json.dump({'metadata': {'total_size': total}, 'weight_map': bin_map}, f, indent=2)
        f.write('\n')

    write_json(p('expected.json'), {'cases': expected(model)})


if __name__ == '__main__':
    main()
