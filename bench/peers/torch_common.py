"""Shared timing helpers for the PyTorch peer benchmarks (bench/peers/torch_*.py).

Every figure is a per-call wall-clock time from time.perf_counter_ns around one call, so the
median and p99 are taken over individual calls, like the C# Stopwatch loops they are compared to.
"""
import argparse
import json
import platform
import statistics
import time

import torch


def parse_args(description, default_steps, default_calls):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2],
                   help="intra-op thread counts to run (torch.set_num_threads)")
    p.add_argument("--steps", type=int, default=default_steps,
                   help="timed training steps per configuration (after warm-up)")
    p.add_argument("--calls", type=int, default=default_calls,
                   help="timed batch-1 inference calls per configuration (after warm-up)")
    p.add_argument("--quick", action="store_true", help="a few steps only: smoke test")
    a = p.parse_args()
    if a.quick:
        a.steps, a.calls = max(5, a.steps // 30), max(50, a.calls // 50)
    return a


def time_calls(fn, n, warmup):
    for _ in range(warmup):
        fn()
    ns = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        fn()
        ns.append(time.perf_counter_ns() - t0)
    return ns


def summary(ns):
    s = sorted(ns)
    p99 = s[min(len(s) - 1, int(round(0.99 * (len(s) - 1))))]
    return {
        "median_ms": statistics.median(s) / 1e6,
        "p99_ms": p99 / 1e6,
        "mean_ms": sum(s) / len(s) / 1e6,
        "min_ms": s[0] / 1e6,
        "n": len(s),
    }


def emit(**fields):
    rec = {"peer": "pytorch", "version": torch.__version__, "python": platform.python_version()}
    rec.update(fields)
    print(json.dumps(rec), flush=True)


def train_step_fn(model, opt, loss_fn, x, y):
    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return step


def infer_fn(model, x):
    def infer():
        with torch.no_grad():
            model(x)
    return infer
