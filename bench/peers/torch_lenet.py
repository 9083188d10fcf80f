#!/usr/bin/python3
"""PyTorch 1.13 CPU peer for the LeNet benchmarks of issue 5.

Model: Conv2d(1,32,5,pad 2) ReLU MaxPool2d(2) Conv2d(32,64,5,pad 2) ReLU MaxPool2d(2) Flatten
Linear(3136,128) ReLU Linear(128,10), CrossEntropyLoss, SGD(lr=0.05, momentum=0.9).
Training step at batch 64 (zero_grad + forward + loss + backward + step); batch-1 inference
under torch.no_grad. Input 1x28x28. One JSON object per line.

Run with the system interpreter (Debian's python3-torch): /usr/bin/python3 bench/peers/torch_lenet.py
"""
import torch
import torch.nn as nn

from torch_common import emit, infer_fn, parse_args, set_threads, summary, time_calls, train_step_fn


def make_model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))


def main():
    args = parse_args(__doc__, default_steps=60, default_calls=2000)
    torch.manual_seed(0)
    for threads in args.threads:
        set_threads(threads)
        batch = 64
        model = make_model()
        opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        x = torch.rand(batch, 1, 28, 28)
        y = torch.randint(0, 10, (batch,))
        ns = time_calls(train_step_fn(model, opt, nn.CrossEntropyLoss(), x, y),
                        args.steps, warmup=max(3, args.steps // 10))
        emit(model="lenet", bench="train_step", batch=batch, threads=threads, **summary(ns))
        model = make_model().eval()
        x = torch.rand(1, 1, 28, 28)
        ns = time_calls(infer_fn(model, x), args.calls, warmup=max(50, args.calls // 10))
        emit(model="lenet", bench="infer_b1", batch=1, threads=threads, **summary(ns))


if __name__ == "__main__":
    main()
