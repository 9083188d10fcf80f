"""Shared timing helpers for the PyTorch peer benchmarks (bench/peers/torch_*.py).

Every figure is a per-call wall-clock time from time.perf_counter_ns around one call, so the
median and p99 are taken over individual calls, like the C# Stopwatch loops they are compared to.
"""
import argparse
import ctypes
import json
import platform
import statistics
import time

import torch

# Debian's torch is built with BLAS_INFO=generic: its GEMMs call whatever libblas.so.3 the
# alternatives system points at (OpenBLAS pthread here, which build.sh installs for Hpc's own
# OpenBLAS path). That library keeps its own thread pool, which torch.set_num_threads does not
# reach: left alone, a "1-thread" PyTorch run has OpenBLAS threads on both cores fighting the
# interpreter (measured 2.5 ms per MLP step instead of ~1 ms). set_threads sets both.
_blas = None
try:
    _blas = ctypes.CDLL("libblas.so.3")
except OSError:
    pass


def _blas_name():
    if _blas is None:
        return "none"
    for sym, name in (("openblas_set_num_threads", "openblas"), ("bli_thread_set_num_threads", "blis")):
        if hasattr(_blas, sym):
            return name
    return "other"


BLAS = _blas_name()


def set_threads(threads):
    """torch's intra-op threads and the BLAS library's own pool, both to `threads`."""
    torch.set_num_threads(threads)
    if BLAS == "openblas":
        _blas.openblas_set_num_threads(ctypes.c_int(threads))
    elif BLAS == "blis":
        _blas.bli_thread_set_num_threads(ctypes.c_long(threads))


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
    rec = {"peer": "pytorch", "version": torch.__version__, "python": platform.python_version(), "blas": BLAS}
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
