"""Training fixtures from PyTorch for test/unit/train-torch.test.ts.

Runs a few optimizer steps (torch.optim.Adam, torch.optim.SGD with momentum) with
torch.nn.utils.clip_grad_norm_ on small fixed models, from fixed weights and inputs, in float64
and float32, and writes test/fixtures/torch/train.json: the starting weights in RNN Lens's layout,
the batch, and per step the loss and the gradient norm before clipping, then the weights after
the last step.

Layout mapping (RNN Lens <- PyTorch):
  W is (G*H, D+H) over [x; h]; LSTM gate blocks f, i, g, o (PyTorch: i, f, g, o), so
  weight_ih = W[:, :D] and weight_hh = W[:, D:] with the first two blocks swapped.
  b is one bias: bias_ih = b (same swap), bias_hh is held at zero and not trained.
  The default GRU is RNN Lens's (reset applied to h before the product, h' = (1-z) h + z n),
  written out with torch ops; the RNN and LSTM are torch.nn.RNN and torch.nn.LSTM. The reset-after
  GRU is torch.nn.GRU itself: its gates are r, z, n (ours z, r, n) and its h' = (1-z) n + z h, so
  our z is its 1-z = sigmoid(-a): our z rows are its z rows negated.
Truncated BPTT: the sequence runs in chunks of k steps with the state detached between chunks.

Run: /usr/bin/python3 scripts/torch/train.py   (Debian's python3-torch, 1.13)
"""
import os

import torch

from fixture import write_json
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'torch', 'train.json')

CASES = [
    # name, cell, input, head, sizes, optimizer, clip, truncate, steps
    dict(name='lstm-onehot-ce-adam-clip', cell='lstm', input='onehot', head='ce', V=5, H=4, O=3, T=6, B=3,
         optimizer=dict(kind='adam', lr=0.05), clip=0.5, truncate=0, steps=4, targets='some'),
    dict(name='lstm-onehot-ce-sgd-truncate', cell='lstm', input='onehot', head='ce', V=5, H=4, O=5, T=7, B=2,
         optimizer=dict(kind='sgd', lr=0.3, momentum=0.9), clip=0, truncate=3, steps=4, targets='all'),
    dict(name='gru-embedding-ce-sgd-clip', cell='gru', input='embedding', head='ce', V=6, E=3, H=4, O=6, T=5, B=3,
         optimizer=dict(kind='sgd', lr=0.2, momentum=0.9), clip=1.0, truncate=0, steps=4, targets='all'),
    dict(name='rnn-features-mse-adam', cell='rnn', input='features', head='mse', V=2, H=5, O=1, T=6, B=4,
         optimizer=dict(kind='adam', lr=0.02, beta1=0.8, beta2=0.99, eps=1e-6), clip=0, truncate=0, steps=5, targets='last'),
    dict(name='gru-onehot-mse-adam-truncate-clip', cell='gru', input='onehot', head='mse', V=4, H=3, O=1, T=6, B=2,
         optimizer=dict(kind='adam', lr=0.03), clip=0.2, truncate=2, steps=3, targets='some'),
    dict(name='nn.GRU-reset-after-embedding-ce-adam-clip', cell='gru', resetAfter=True, input='embedding', head='ce',
         V=5, E=3, H=4, O=5, T=6, B=3, optimizer=dict(kind='adam', lr=0.04), clip=0.7, truncate=0, steps=4, targets='all'),
]

GATES = dict(rnn=1, lstm=4, gru=3)


def rnd(gen, *shape, scale=1.0):
    return (torch.randn(*shape, generator=gen, dtype=torch.float64) * scale)


def make_data(case, seed):
    gen = torch.Generator().manual_seed(seed)
    G, H, T, B, O = GATES[case['cell']], case['H'], case['T'], case['B'], case['O']
    D = case['E'] if case['input'] == 'embedding' else case['V']
    K = D + H
    data = dict(W=rnd(gen, G * H, K, scale=0.5), b=rnd(gen, G * H, scale=0.2),
                V=rnd(gen, O, H, scale=0.6), c=rnd(gen, O, scale=0.2))
    if case['input'] == 'embedding':
        data['E'] = rnd(gen, case['V'], D)
    if case['input'] == 'features':
        data['features'] = torch.rand(T, B, case['V'], generator=gen, dtype=torch.float64)
    else:
        data['tokens'] = torch.randint(0, case['V'], (T, B), generator=gen)
    if case['targets'] == 'last':
        mask = torch.zeros(T, B, dtype=torch.bool)
        mask[T - 1] = True
    elif case['targets'] == 'all':
        mask = torch.ones(T, B, dtype=torch.bool)
    else:
        mask = torch.rand(T, B, generator=gen) < 0.5
        mask[T - 1, 0] = True
    data['mask'] = mask
    if case['head'] == 'ce':
        data['classes'] = torch.randint(0, O, (T, B), generator=gen)
    else:
        data['values'] = torch.rand(T, B, generator=gen, dtype=torch.float64) * 2
    return data


def swap_if(cell, m, H, back=False):
    """PyTorch's i, f, g, o from our f, i, g, o (and back: the swap is its own inverse); for
    nn.GRU ('gru-torch'), its r, z, n from our z, r, n with z negated, or back (back=True)."""
    if cell == 'gru-torch':
        return torch.cat([-m[H:2 * H], m[:H], m[2 * H:]], 0) if back else torch.cat([m[H:2 * H], -m[:H], m[2 * H:]], 0)
    if cell != 'lstm':
        return m
    return torch.cat([m[H:2 * H], m[:H], m[2 * H:]], 0)


class Net:
    def __init__(self, case, data, dtype):
        self.case = case
        cell, H = case['cell'], case['H']
        if case.get('resetAfter'):
            cell = 'gru-torch'
        self.cell = cell
        W = data['W'].to(dtype)
        self.D = W.shape[1] - H
        D = self.D
        self.params = {}
        if cell in ('lstm', 'rnn', 'gru-torch'):
            mod = (torch.nn.LSTM(D, H) if cell == 'lstm' else torch.nn.GRU(D, H) if cell == 'gru-torch'
                   else torch.nn.RNN(D, H, nonlinearity='tanh'))
            mod = mod.to(dtype)
            with torch.no_grad():
                mod.weight_ih_l0.copy_(swap_if(cell, W[:, :D], H))
                mod.weight_hh_l0.copy_(swap_if(cell, W[:, D:], H))
                mod.bias_ih_l0.copy_(swap_if(cell, data['b'].to(dtype), H))
                mod.bias_hh_l0.zero_()
            mod.bias_hh_l0.requires_grad_(False)
            self.mod = mod
            self.params.update(W_ih=mod.weight_ih_l0, W_hh=mod.weight_hh_l0, b=mod.bias_ih_l0)
        else:
            self.params['W'] = W.clone().requires_grad_(True)
            self.params['b'] = data['b'].to(dtype).clone().requires_grad_(True)
        self.params['V'] = data['V'].to(dtype).clone().requires_grad_(True)
        self.params['c'] = data['c'].to(dtype).clone().requires_grad_(True)
        if 'E' in data:
            self.params['E'] = data['E'].to(dtype).clone().requires_grad_(True)
        self.dtype = dtype

    def trainable(self):
        return [p for p in self.params.values()]

    def gru(self, x, h):
        H, D = self.case['H'], self.D
        W, b = self.params['W'], self.params['b']
        out = []
        for t in range(x.shape[0]):
            xt = x[t]
            a = torch.cat([xt, h], 1) @ W[:2 * H].t() + b[:2 * H]
            z = torch.sigmoid(a[:, :H])
            r = torch.sigmoid(a[:, H:])
            n = torch.tanh(torch.cat([xt, r * h], 1) @ W[2 * H:].t() + b[2 * H:])
            h = (1 - z) * h + z * n
            out.append(h)
        return torch.stack(out), h

    def cell_run(self, x):
        case = self.case
        T, B, H = x.shape[0], x.shape[1], case['H']
        k = case['truncate'] if 0 < case['truncate'] < T else T
        h = torch.zeros(1, B, H, dtype=self.dtype)
        c = torch.zeros(1, B, H, dtype=self.dtype)
        outs = []
        for s in range(0, T, k):
            xs = x[s:s + k]
            if self.cell == 'lstm':
                o, (h, c) = self.mod(xs, (h, c))
            elif self.cell in ('rnn', 'gru-torch'):
                o, h = self.mod(xs, h)
            else:
                o, h2 = self.gru(xs, h[0])
                h = h2.unsqueeze(0)
            outs.append(o)
            h = h.detach()
            c = c.detach()
        return torch.cat(outs, 0)

    def loss(self, data):
        case = self.case
        if case['input'] == 'features':
            x = data['features'].to(self.dtype)
        elif case['input'] == 'onehot':
            x = F.one_hot(data['tokens'], case['V']).to(self.dtype)
        else:
            x = self.params['E'][data['tokens']]
        hs = self.cell_run(x)
        y = hs @ self.params['V'].t() + self.params['c']
        mask = data['mask']
        if case['head'] == 'ce':
            return F.cross_entropy(y[mask], data['classes'][mask])
        return F.mse_loss(y[..., 0][mask], data['values'].to(self.dtype)[mask])

    def ours(self):
        """The weights in RNN Lens's layout."""
        p = self.params
        H = self.case['H']
        if 'W_ih' in p:
            W = torch.cat([swap_if(self.cell, p['W_ih'].detach(), H, True), swap_if(self.cell, p['W_hh'].detach(), H, True)], 1)
            b = swap_if(self.cell, p['b'].detach(), H, True)
        else:
            W, b = p['W'].detach(), p['b'].detach()
        out = dict(W=W, b=b, V=p['V'].detach(), c=p['c'].detach())
        if 'E' in p:
            out['E'] = p['E'].detach()
        return {k: flat(v) for k, v in out.items()}


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def run(case, data, dtype):
    net = Net(case, data, dtype)
    params = net.trainable()
    o = case['optimizer']
    if o['kind'] == 'adam':
        opt = torch.optim.Adam(params, lr=o['lr'], betas=(o.get('beta1', 0.9), o.get('beta2', 0.999)), eps=o.get('eps', 1e-8))
    else:
        opt = torch.optim.SGD(params, lr=o['lr'], momentum=o.get('momentum', 0))
    losses, norms = [], []
    for _ in range(case['steps']):
        opt.zero_grad()
        loss = net.loss(data)
        loss.backward()
        if case['clip'] > 0:
            norm = torch.nn.utils.clip_grad_norm_(params, case['clip'])
        else:
            norm = torch.sqrt(sum((p.grad ** 2).sum() for p in params))
        losses.append(float(loss))
        norms.append(float(norm))
        opt.step()
    return dict(losses=losses, gradNorms=norms, params=net.ours())


def main():
    torch.set_num_threads(1)
    out = dict(torch=torch.__version__, cases=[])
    for i, case in enumerate(CASES):
        data = make_data(case, 1000 + i)
        T, B = case['T'], case['B']
        entry = dict(case)
        entry['D'] = case['E'] if case['input'] == 'embedding' else case['V']
        entry['init'] = {k: flat(data[k]) for k in ('W', 'b', 'V', 'c', 'E') if k in data}
        if 'features' in data:
            entry['features'] = flat(data['features'])
        if 'tokens' in data:
            entry['tokens'] = [int(v) for v in data['tokens'].reshape(-1)]
        mask = data['mask'].reshape(-1)
        if 'classes' in data:
            entry['classes'] = [int(c) if m else -1 for c, m in zip(data['classes'].reshape(-1).tolist(), mask.tolist())]
        else:
            entry['values'] = [float(v) if m else None for v, m in zip(data['values'].reshape(-1).tolist(), mask.tolist())]
        assert len(entry.get('classes', entry.get('values'))) == T * B
        entry['float64'] = run(case, data, torch.float64)
        entry['float32'] = run(case, data, torch.float32)
        out['cases'].append(entry)
    write_json(OUT, out)


if __name__ == '__main__':
    main()
