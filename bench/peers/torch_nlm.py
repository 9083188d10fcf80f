#!/usr/bin/python3
"""PyTorch 1.13 CPU peer for the neural 4-gram language model's training step (the model of
bench/peers/torchsharp/Architectures.cs, NeuralLanguageModel).

Model: Embedding(250, 16) shared by the 3 context positions, concatenated to 48, Linear(48, 180),
logistic, Linear(180, 250), CrossEntropyLoss; SGD(lr=0.1, momentum=0.9); batch 100 of random word
indices. Step = zero_grad + forward + loss + backward + step. One JSON object per line.

Run with the system interpreter (Debian's python3-torch): /usr/bin/python3 bench/peers/torch_nlm.py
"""
import torch
import torch.nn as nn

from torch_common import emit, parse_args, set_threads, summary, time_calls, train_step_fn

WORDS, DIM, CONTEXT, HIDDEN, BATCH = 250, 16, 3, 180, 100


class NeuralLanguageModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(WORDS, DIM)
        self.hidden = nn.Linear(CONTEXT * DIM, HIDDEN)
        self.output = nn.Linear(HIDDEN, WORDS)

    def forward(self, context):
        e = self.embedding(context).view(context.shape[0], CONTEXT * DIM)
        return self.output(torch.sigmoid(self.hidden(e)))


def main():
    args = parse_args(__doc__, default_steps=300, default_calls=0)
    torch.manual_seed(0)
    for threads in args.threads:
        set_threads(threads)
        model = NeuralLanguageModel()
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        context = torch.randint(0, WORDS, (BATCH, CONTEXT))
        target = torch.randint(0, WORDS, (BATCH,))
        ns = time_calls(train_step_fn(model, opt, nn.CrossEntropyLoss(), context, target),
                        args.steps, warmup=max(10, args.steps // 10))
        emit(model="nlm", bench="train_step", batch=BATCH, threads=threads, **summary(ns))


if __name__ == "__main__":
    main()
