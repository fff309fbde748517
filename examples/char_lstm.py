"""A character-level LSTM language model in PyTorch.

It learns to continue the text in CORPUS one character at a time. Training uses teacher
forcing (the model always sees the true previous character), truncated backpropagation
through time (the hidden state is carried across chunks but detached, so gradients stop at
the chunk boundary) and gradient-norm clipping against exploding gradients.

Run:  python char_lstm.py          (needs torch; trains for about a minute on a laptop CPU)
"""
from __future__ import annotations

import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CORPUS = """\
A recurrent neural network reads a sequence one step at a time and keeps a hidden state.
The hidden state is a summary of everything the network has read so far.
An LSTM adds a cell state and three gates: the forget gate, the input gate and the output gate.
The forget gate decides what to keep, the input gate decides what to write,
and the output gate decides what to show as the new hidden state.
Because the cell state is updated by addition, gradients can flow back through many steps.
A GRU merges the cell state and the hidden state and uses an update gate and a reset gate.
Backpropagation through time unrolls the network over the sequence and sums the gradients
of the shared weights over every time step. Truncated backpropagation through time stops
the gradient after a fixed number of steps, which bounds memory and compute.
"""


class CharVocab:
    """Maps characters to integer ids and back."""

    def __init__(self, text: str) -> None:
        self.chars = sorted(set(text))
        self.index = {ch: i for i, ch in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> torch.Tensor:
        return torch.tensor([self.index[ch] for ch in text], dtype=torch.long)

    def decode(self, ids: list[int]) -> str:
        return "".join(self.chars[i] for i in ids)


class CharLSTM(nn.Module):
    """Embedding -> stacked LSTM -> linear projection to next-character logits."""

    def __init__(self, vocab_size: int, embed_dim: int = 32, hidden_size: int = 128,
                 num_layers: int = 2, dropout: float = 0.1) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(
            input_size=embed_dim,
            hidden_size=hidden_size,
            num_layers=num_layers,
            batch_first=True,  # tensors are (batch, time, features)
            dropout=dropout,   # between stacked layers only
        )
        self.head = nn.Linear(hidden_size, vocab_size)
        self._init_forget_bias()

    def _init_forget_bias(self) -> None:
        # PyTorch orders the gate chunks (input, forget, cell, output); a forget-gate bias
        # of 1 makes the cell remember by default early in training.
        for name, bias in self.lstm.named_parameters():
            if name.startswith("bias_ih"):
                hidden = bias.shape[0] // 4
                with torch.no_grad():
                    bias[hidden:2 * hidden].fill_(1.0)

    def forward(self, tokens: torch.Tensor,
                hidden: tuple[torch.Tensor, torch.Tensor] | None = None,
                ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        emb = self.embedding(tokens)               # (B, T, E)
        output, (h_n, c_n) = self.lstm(emb, hidden)  # output: (B, T, H); h_n, c_n: (layers, B, H)
        logits = self.head(output)                 # (B, T, vocab)
        return logits, (h_n, c_n)


def batchify(data: torch.Tensor, batch_size: int) -> torch.Tensor:
    """Cuts the stream into batch_size parallel streams: shape (batch_size, steps)."""
    steps = data.numel() // batch_size
    return data[: steps * batch_size].view(batch_size, steps)


def train(model: CharLSTM, streams: torch.Tensor, epochs: int = 40, bptt_len: int = 32,
          lr: float = 3e-3, max_grad_norm: float = 1.0) -> float:
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    vocab_size = model.head.out_features
    loss_value = float("nan")
    for epoch in range(1, epochs + 1):
        model.train()
        hidden = None
        total, count = 0.0, 0
        for start in range(0, streams.size(1) - 1, bptt_len):
            end = min(start + bptt_len, streams.size(1) - 1)
            # Teacher forcing: the input at step t is the true character t, the target is t + 1.
            inputs = streams[:, start:end]
            targets = streams[:, start + 1:end + 1]
            if hidden is not None:
                # Truncated BPTT: keep the state's values, cut its history from the graph.
                hidden = tuple(h.detach() for h in hidden)
            logits, hidden = model(inputs, hidden)
            loss = F.cross_entropy(logits.reshape(-1, vocab_size), targets.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_grad_norm)
            optimizer.step()
            total += loss.item() * targets.numel()
            count += targets.numel()
        loss_value = total / count
        if epoch % 10 == 0 or epoch == 1:
            print(f"epoch {epoch:3d}  loss {loss_value:.3f}  perplexity {math.exp(loss_value):6.2f}")
    return loss_value


@torch.no_grad()
def sample(model: CharLSTM, vocab: CharVocab, prompt: str, length: int = 120,
           temperature: float = 0.8) -> str:
    """Generates text autoregressively: the model now feeds on its own predictions."""
    model.eval()
    tokens = vocab.encode(prompt).unsqueeze(0)  # (1, T)
    logits, hidden = model(tokens)
    out: list[int] = []
    for _ in range(length):
        probs = F.softmax(logits[:, -1] / temperature, dim=-1)
        next_id = torch.multinomial(probs, num_samples=1)  # (1, 1)
        out.append(int(next_id))
        logits, hidden = model(next_id, hidden)
    return prompt + vocab.decode(out)


def main() -> None:
    torch.manual_seed(0)
    vocab = CharVocab(CORPUS)
    streams = batchify(vocab.encode(CORPUS), batch_size=8)
    model = CharLSTM(len(vocab))
    params = sum(p.numel() for p in model.parameters())
    print(f"vocab {len(vocab)} chars, {streams.numel()} training characters, {params} parameters")
    started = time.perf_counter()
    train(model, streams)
    print(f"trained in {time.perf_counter() - started:.1f} s")
    print(sample(model, vocab, "The hidden state"))


if __name__ == "__main__":
    main()
