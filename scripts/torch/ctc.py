"""PyTorch's own ctc_loss (reduction='sum') and its autograd gradient with respect to the logits,
as fixtures for engine/ctc.ts: test/fixtures/torch/ctc.json. The unit test
(test/unit/engine/ctc.test.ts) compares the engine's ctc() with these numbers, so it needs no torch.

Regenerate (Debian's python3-torch, CPU; deterministic for a given torch version):

    /usr/bin/python3 scripts/torch/ctc.py

Each case draws logits (T, C) in float64 (seeded), takes log_softmax over the classes and calls
torch.nn.functional.ctc_loss(log_probs, target, reduction='sum'). The cases cover repeated labels,
a target exactly as long as T allows, T = 400, a blank other than 0, an empty target, and an
impossible target (for which alone the fixture records zero_infinity=True too).
"""
import json
import os

import torch

from fixture import write_json
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'test', 'fixtures', 'torch', 'ctc.json')

# name, T, C, blank, target, logit scale
CASES = [
    ('small', 5, 4, 0, [1, 2], 1.0),
    ('repeats', 8, 3, 0, [1, 1, 2, 2, 1], 1.0),
    ('as-long-as-T-allows', 7, 4, 0, [1, 1, 2, 3, 3], 2.0),  # 5 labels + 2 blanks between repeats = 7 frames
    ('blank-last', 12, 5, 4, [0, 3, 3, 1, 0], 1.5),
    ('blank-middle', 10, 6, 2, [5, 5, 0, 1], 1.0),
    ('empty-target', 6, 3, 0, [], 1.0),
    ('long-T400', 400, 12, 0, [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5], 3.0),
    ('impossible', 4, 3, 0, [1, 1, 1], 1.0),  # needs 5 frames
]


def run(name, T, C, blank, target, scale, seed):
    g = torch.Generator().manual_seed(seed)
    logits = (torch.randn(T, C, generator=g, dtype=torch.float64) * scale).requires_grad_(True)
    out = {'name': name, 'T': T, 'C': C, 'blank': blank, 'target': target,
           'logits': [float(v) for v in logits.detach().reshape(-1).tolist()]}
    for zero_inf in (False, True):
        logits.grad = None
        lp = logits.log_softmax(1).unsqueeze(1)  # (T, N=1, C)
        tgt = torch.tensor([target], dtype=torch.long) if target else torch.zeros((1, 0), dtype=torch.long)
        loss = F.ctc_loss(lp, tgt, torch.tensor([T]), torch.tensor([len(target)]), blank=blank,
                          reduction='sum', zero_infinity=zero_inf)
        loss.backward()
        key = 'zeroInfinity' if zero_inf else 'torch'
        v = float(loss)
        if zero_inf and out['torch']['loss'] != 'Infinity':
            continue  # the same numbers as zero_infinity=False
        out[key] = {
            'loss': v if v != float('inf') else 'Infinity',
            'dLogits': [g if g == g else 'NaN' for g in (float(x) for x in logits.grad.reshape(-1).tolist())],
        }
    return out


def main():
    cases = [run(*c, seed=i + 1) for i, c in enumerate(CASES)]
    doc = {'torch': torch.__version__, 'cases': cases}
    write_json(OUT, doc)


if __name__ == '__main__':
    main()
