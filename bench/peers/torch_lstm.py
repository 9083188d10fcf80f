#!/usr/bin/python3
"""PyTorch 1.13 CPU peer for the recurrent training steps (the models of
bench/peers/torchsharp/PeerModels.cs):

- char_lstm: Embedding(80, 64), LSTM(64, 256, batch_first), Linear(256, 80), CrossEntropyLoss over
  32 streams x 64 characters, Adam(lr=2e-3), clip_grad_norm_(5); the final state of each step is
  carried, detached, into the next (truncated backpropagation through time).
- lstm: LSTM(64, 128) over a sequence of 35, batch 32 (sequence first), MSELoss against a fixed
  random target, SGD(lr=0.01); zero initial state.
Step = zero_grad + forward + loss + backward (+ clip) + step. One JSON object per line.

Run with the system interpreter (Debian's python3-torch): /usr/bin/python3 bench/peers/torch_lstm.py
"""
import torch
import torch.nn as nn

from torch_common import emit, parse_args, set_threads, summary, time_calls

VOCAB, DIM, HIDDEN, BATCH, STEPS = 80, 64, 256, 32, 64


class CharLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, DIM)
        self.lstm = nn.LSTM(DIM, HIDDEN, batch_first=True)
        self.output = nn.Linear(HIDDEN, VOCAB)

    def forward(self, chars, state):
        y, state = self.lstm(self.embedding(chars), state)
        return self.output(y), state


def char_lstm_step():
    model = CharLstm()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    chars = torch.randint(0, VOCAB, (BATCH, STEPS))
    target = torch.randint(0, VOCAB, (BATCH * STEPS,))
    state = [(torch.zeros(1, BATCH, HIDDEN), torch.zeros(1, BATCH, HIDDEN))]

    def step():
        opt.zero_grad(set_to_none=True)
        logits, (h, c) = model(chars, state[0])
        state[0] = (h.detach(), c.detach())
        loss_fn(logits.reshape(-1, VOCAB), target).backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
    return step


def lstm_step():
    lstm = nn.LSTM(64, 128)
    opt = torch.optim.SGD(lstm.parameters(), lr=0.01)
    loss_fn = nn.MSELoss()
    x = torch.rand(35, 32, 64)
    target = torch.rand(35, 32, 128)

    def step():
        opt.zero_grad(set_to_none=True)
        y, _ = lstm(x)
        loss_fn(y, target).backward()
        opt.step()
    return step


def main():
    args = parse_args(__doc__, default_steps=60, default_calls=0)
    torch.manual_seed(0)
    for threads in args.threads:
        set_threads(threads)
        ns = time_calls(char_lstm_step(), max(3, args.steps // 2), warmup=3)
        emit(model="char_lstm", bench="train_step", batch=BATCH, threads=threads, seq=STEPS, hidden=HIDDEN,
             vocab=VOCAB, **summary(ns))
        ns = time_calls(lstm_step(), args.steps, warmup=max(3, args.steps // 10))
        emit(model="lstm", bench="train_step", batch=32, threads=threads, seq=35, input=64, hidden=128, **summary(ns))


if __name__ == "__main__":
    main()
