"""A bidirectional GRU sequence classifier in Keras.

The task is synthetic, so the script needs no download: each sequence of token ids is
labelled 1 when token 7 appears somewhere before token 3, else 0. Order matters, so a bag of
words cannot solve it; a recurrent layer reading the sequence can.

Model: Embedding (mask_zero=True, so the padding id 0 is skipped) -> Bidirectional(GRU)
-> Dense(sigmoid). The GRU has an update gate z_t and a reset gate r_t and no separate cell
state; Bidirectional runs one GRU left-to-right and one right-to-left and concatenates them.

Run:  python keras_gru.py    (needs tensorflow >= 2.16, which brings Keras 3)
"""
from __future__ import annotations

import numpy as np
import keras
from keras import layers

VOCAB_SIZE = 20   # ids 1..19 are tokens, 0 is padding
MAX_LEN = 24
TRIGGER, TARGET = 7, 3


def make_dataset(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Padded id sequences of random length and their labels (about half positive)."""
    x = np.zeros((n, MAX_LEN), dtype="int32")
    y = np.zeros((n,), dtype="float32")
    for k in range(n):
        length = int(rng.integers(8, MAX_LEN + 1))
        seq = rng.integers(1, VOCAB_SIZE, size=length)
        seq[(seq == TRIGGER) | (seq == TARGET)] = 1  # place the two tokens ourselves
        a, b = sorted(rng.choice(length, size=2, replace=False))
        if rng.random() < 0.5:
            seq[a], seq[b] = TRIGGER, TARGET   # 7 before 3: positive
            y[k] = 1.0
        else:
            seq[a], seq[b] = TARGET, TRIGGER   # 3 before 7: negative
        x[k, :length] = seq                   # post-padding with zeros
    return x, y


def build_model(units: int = 32) -> keras.Model:
    inputs = keras.Input(shape=(MAX_LEN,), dtype="int32")
    x = layers.Embedding(input_dim=VOCAB_SIZE, output_dim=16, mask_zero=True)(inputs)
    # reset_after=True is the cuDNN-compatible GRU formulation (Keras' default).
    x = layers.Bidirectional(layers.GRU(units, reset_after=True), merge_mode="concat")(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs, name="bigru_order_classifier")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=3e-3, clipnorm=1.0),  # gradient clipping
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def main() -> None:
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x_train, y_train = make_dataset(4000, rng)
    x_test, y_test = make_dataset(500, rng)
    model = build_model()
    model.summary()
    model.fit(x_train, y_train, batch_size=64, epochs=8, validation_split=0.1, verbose=2)
    loss, acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"test loss {loss:.3f}  accuracy {acc:.3f}")


if __name__ == "__main__":
    main()
