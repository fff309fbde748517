"""An LSTM cell's forward pass in NumPy, in the fused form.

One weight matrix W of shape (4H, D + H) acts on the concatenation [x_t, h_prev]; the
result z is split into four chunks that become the gates:

    f = sigmoid(z[0:H])      forget gate
    i = sigmoid(z[H:2H])     input gate
    g = tanh(z[2H:3H])       candidate cell state
    o = sigmoid(z[3H:4H])    output gate
    c = f * c_prev + i * g   cell state (additive update: the constant error carousel)
    h = o * tanh(c)          hidden state

One fused matmul replaces four separate ones; the script checks that both give the same
result, then runs the cell over a sequence.

Run:  python numpy_lstm_cell.py    (needs numpy)
"""
from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    # Split by sign so that exp never overflows for large |x|.
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def init_lstm(input_size: int, hidden_size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform(-1/sqrt(H), 1/sqrt(H)) weights as in PyTorch; forget-gate bias 1."""
    bound = 1.0 / np.sqrt(hidden_size)
    W = rng.uniform(-bound, bound, size=(4 * hidden_size, input_size + hidden_size))
    b = np.zeros(4 * hidden_size)
    b[0:hidden_size] = 1.0  # remember by default early in training
    return W, b


def lstm_cell_forward(x: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray,
                      W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One time step for a batch: x (B, D), h_prev and c_prev (B, H) -> h, c (B, H)."""
    H = h_prev.shape[1]
    z = np.concatenate([x, h_prev], axis=1) @ W.T + b  # (B, 4H): the one fused matmul
    f = sigmoid(z[:, 0:H])
    i = sigmoid(z[:, H:2 * H])
    g = np.tanh(z[:, 2 * H:3 * H])
    o = sigmoid(z[:, 3 * H:4 * H])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c


def lstm_cell_forward_unfused(x: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray,
                              W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The textbook form: separate input (W_x*) and recurrent (W_h*) weights per gate."""
    D, H = x.shape[1], h_prev.shape[1]
    W_x, W_h = W[:, :D], W[:, D:]
    gates = []
    for k in range(4):
        rows = slice(k * H, (k + 1) * H)
        gates.append(x @ W_x[rows].T + h_prev @ W_h[rows].T + b[rows])
    f, i, o = sigmoid(gates[0]), sigmoid(gates[1]), sigmoid(gates[3])
    g = np.tanh(gates[2])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def lstm_forward(xs: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Runs the cell over a sequence xs (T, B, D) from a zero state; returns all h (T, B, H) and the last c."""
    T, B, _ = xs.shape
    H = W.shape[0] // 4
    h = np.zeros((B, H))
    c = np.zeros((B, H))
    hs = np.empty((T, B, H))
    for t in range(T):
        h, c = lstm_cell_forward(xs[t], h, c, W, b)
        hs[t] = h
    return hs, c


def main() -> None:
    rng = np.random.default_rng(0)
    D, H, B, T = 8, 16, 4, 50
    W, b = init_lstm(D, H, rng)

    x = rng.standard_normal((B, D))
    h_prev = rng.standard_normal((B, H)) * 0.1
    c_prev = rng.standard_normal((B, H)) * 0.1
    h1, c1 = lstm_cell_forward(x, h_prev, c_prev, W, b)
    h2, c2 = lstm_cell_forward_unfused(x, h_prev, c_prev, W, b)
    assert np.allclose(h1, h2) and np.allclose(c1, c2), "fused and unfused forms disagree"
    print(f"fused == unfused: max |dh| = {np.abs(h1 - h2).max():.2e}")

    xs = rng.standard_normal((T, B, D))
    hs, c_last = lstm_forward(xs, W, b)
    assert hs.shape == (T, B, H)
    # h = o * tanh(c) with o in (0, 1): every hidden unit stays inside (-1, 1).
    assert np.all(np.abs(hs) < 1.0)
    print(f"ran {T} steps: h_T[0, :4] = {np.round(hs[-1, 0, :4], 4)}, |c_T| max = {np.abs(c_last).max():.3f}")


if __name__ == "__main__":
    main()
