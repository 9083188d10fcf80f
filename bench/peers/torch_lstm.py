#!/usr/bin/python3
"""PyTorch 1.13 CPU peer for the recurrent benchmarks (Hpc's rnn kernels, Lstm module, char model).

char_step: the character language model -- Embedding(vocab, 64), LSTM(64, 256), Linear(256, vocab),
  CrossEntropyLoss over every position, 32 streams x 64 steps, state carried and detached between
  steps (truncated BPTT), gradient clipping by global norm 5, Adam(lr 2e-3). Step = zero_grad +
  forward + loss + backward + clip + Adam step. vocab defaults to 89 (Moby Dick's distinct characters).
lstm_step: one LSTM layer 64 -> 128, 35 steps, batch 32, from a zero state: forward, L = sum(y * r),
  backward (parameter and input gradients). No optimizer.
curve (--curve TEXT --curve-steps N): trains the char model on TEXT exactly as `hpc train --model
  char-lstm` does (distinct characters as vocabulary, first 90% train / next 5% validation by
  character, 32 streams x 64, state carried, reset when the streams wrap) and prints validation bits
  per character every --eval-every steps: the quality comparison.
One JSON object per line. Run with the system interpreter: /usr/bin/python3 bench/peers/torch_lstm.py
"""
import math
import argparse

import torch
import torch.nn as nn

from torch_common import emit, set_threads, summary, time_calls


class CharLstm(nn.Module):
    def __init__(self, vocab, embed=64, hidden=256):
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, idx, state):
        y, state = self.lstm(self.embed(idx), state)
        return self.out(y.reshape(-1, y.shape[-1])), state


def char_step_fn(vocab, steps, batch, hidden):
    model = CharLstm(vocab, hidden=hidden)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    idx = torch.randint(0, vocab, (steps, batch))
    target = torch.randint(0, vocab, (steps * batch,))
    state = [None]

    def step():
        opt.zero_grad(set_to_none=True)
        s = None if state[0] is None else tuple(t.detach() for t in state[0])
        logits, new_state = model(idx, s)
        loss = loss_fn(logits, target)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        state[0] = new_state
    return step


def lstm_step_fn(inp, hidden, steps, batch):
    lstm = nn.LSTM(inp, hidden)
    x = torch.rand(steps, batch, inp, requires_grad=True)
    r = torch.rand(steps, batch, hidden)

    def step():
        lstm.zero_grad(set_to_none=True)
        x.grad = None
        y, _ = lstm(x)
        (y * r).sum().backward()
    return step


def bits_per_char(model, data, streams, chunk):
    length = (len(data) - 1) // streams
    state, nats, count = None, 0.0, 0
    with torch.no_grad():
        for off in range(0, length, chunk):
            steps = min(chunk, length - off)
            idx = torch.stack([data[b * length + off: b * length + off + steps] for b in range(streams)], 1)
            tgt = torch.stack([data[b * length + off + 1: b * length + off + steps + 1] for b in range(streams)], 1)
            logits, state = model(idx, state)
            nats += nn.functional.cross_entropy(logits, tgt.reshape(-1), reduction="sum").item()
            count += steps * streams
    return nats / count / math.log(2)


def curve(path, total_steps, eval_every, streams=32, chunk=64):
    text = open(path, encoding="utf-8").read()
    vocab = sorted(set(text))
    index = {c: i for i, c in enumerate(vocab)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long)
    n = len(data)
    train, valid = data[: int(n * 0.9)], data[int(n * 0.9): int(n * 0.95)]
    model = CharLstm(len(vocab))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    length = (len(train) - 1) // streams
    off, state = 0, None
    for step in range(1, total_steps + 1):
        if off + chunk > length - 1:
            off, state = 0, None
        idx = torch.stack([train[b * length + off: b * length + off + chunk] for b in range(streams)], 1)
        tgt = torch.stack([train[b * length + off + 1: b * length + off + chunk + 1] for b in range(streams)], 1)
        opt.zero_grad(set_to_none=True)
        s = None if state is None else tuple(t.detach() for t in state)
        logits, state = model(idx, s)
        loss = nn.functional.cross_entropy(logits, tgt.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        off += chunk
        if step % eval_every == 0 or step == total_steps:
            emit(model="char-lstm", bench="curve", step=step, train_bpc=loss.item() / math.log(2),
                 validation_bpc=bits_per_char(model, valid, streams, chunk))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--steps", type=int, default=40, help="timed steps per configuration (after warm-up)")
    p.add_argument("--vocab", type=int, default=89)
    p.add_argument("--bench", nargs="+", default=["char_step", "lstm_step"])
    p.add_argument("--curve", help="text file: train the char model on it and print the validation curve")
    p.add_argument("--curve-steps", type=int, default=3000)
    p.add_argument("--eval-every", type=int, default=500)
    a, _ = p.parse_known_args()  # run.sh passes --quick to every peer
    torch.manual_seed(0)
    if a.curve:
        set_threads(a.threads[0])
        curve(a.curve, a.curve_steps, a.eval_every)
        return
    for threads in a.threads:
        set_threads(threads)
        if "char_step" in a.bench:
            ns = time_calls(char_step_fn(a.vocab, 64, 32, 256), a.steps, warmup=5)
            emit(model="char-lstm", bench="char_step", vocab=a.vocab, steps=64, batch=32, hidden=256, threads=threads, **summary(ns))
        if "lstm_step" in a.bench:
            ns = time_calls(lstm_step_fn(64, 128, 35, 32), a.steps * 5, warmup=10)
            emit(model="lstm", bench="lstm_step", input=64, hidden=128, steps=35, batch=32, threads=threads, **summary(ns))


if __name__ == "__main__":
    main()
