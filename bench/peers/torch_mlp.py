#!/usr/bin/python3
"""PyTorch 1.13 CPU peer for the MLP benchmarks of issue 3.

Model: Linear(784,256) ReLU Linear(256,128) ReLU Linear(128,10), CrossEntropyLoss,
SGD(lr=0.05, momentum=0.9). Training step = zero_grad + forward + loss + backward + step,
at batch 64 and 128; batch-1 inference under torch.no_grad. One JSON object per line.

Run with the system interpreter (Debian's python3-torch): /usr/bin/python3 bench/peers/torch_mlp.py
"""
import torch
import torch.nn as nn

from torch_common import emit, infer_fn, parse_args, set_threads, summary, time_calls, train_step_fn


def make_model():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                         nn.Linear(128, 10))


def main():
    args = parse_args(__doc__, default_steps=300, default_calls=5000)
    torch.manual_seed(0)
    for threads in args.threads:
        set_threads(threads)
        for batch in (64, 128):
            model = make_model()
            opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
            x = torch.rand(batch, 784)
            y = torch.randint(0, 10, (batch,))
            ns = time_calls(train_step_fn(model, opt, nn.CrossEntropyLoss(), x, y),
                            args.steps, warmup=max(10, args.steps // 10))
            emit(model="mlp", bench="train_step", batch=batch, threads=threads, **summary(ns))
        model = make_model().eval()
        x = torch.rand(1, 784)
        ns = time_calls(infer_fn(model, x), args.calls, warmup=max(100, args.calls // 10))
        emit(model="mlp", bench="infer_b1", batch=1, threads=threads, **summary(ns))


if __name__ == "__main__":
    main()
