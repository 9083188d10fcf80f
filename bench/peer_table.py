"""The side-by-side table of Hpc against every end-to-end peer (PyTorch, TorchSharp, ONNX Runtime)
and the targets of issues 12, 13, 15 and 17 that are ratios to them. Used by summarize.py (one run)
and alternate.sh (best of alternating rounds): both hand it rows as the peers print them, one dict
per JSON line, with "peer" one of hpc, pytorch, torchsharp, onnxruntime.
"""
PEERS = [("pytorch", "PyTorch"), ("torchsharp", "TorchSharp"), ("onnxruntime", "ONNX Runtime")]
# Training peers: the best of these is what the step targets are ratios to.
TRAINING_PEERS = ("pytorch", "torchsharp")
LENET_B1_FLOP = 22.2e6  # issue 17: one LeNet batch-1 forward


def key(r):
    """Rows of the same work: model, bench, batch, threads, and the caller count where there is one."""
    return (r["model"], r["bench"], int(r["batch"]), int(r["threads"]), int(r.get("callers", 0)))


def best_by_key(rows):
    """{(key, peer): row with the lowest median} over any number of runs."""
    best = {}
    for r in rows:
        k = (key(r), r["peer"])
        if k not in best or r["median_ms"] < best[k]["median_ms"]:
            best[k] = r
    return best


def _ms(r):
    if r is None:
        return "-"
    return f"{r['median_ms']:.4g} ({r['p99_ms']:.3g})"


def table(rows):
    """Markdown lines: one row per work item some peer other than Hpc measured."""
    best = best_by_key(rows)
    keys = sorted({k for (k, peer) in best if peer != "hpc"})
    out = ["| model | bench | batch | threads | callers | Hpc median (p99) ms | "
           + " | ".join(f"{n} median (p99) ms" for _, n in PEERS) + " | best peer / Hpc |",
           "|---|---|---:|---:|---:|---:|" + "---:|" * len(PEERS) + "---:|"]
    for k in keys:
        h = best.get((k, "hpc"))
        peers = [best.get((k, p)) for p, _ in PEERS]
        medians = [p["median_ms"] for p in peers if p]
        ratio = f"{min(medians) / h['median_ms']:.2f}" if h and medians else "-"
        out.append(f"| {k[0]} | {k[1]} | {k[2]} | {k[3]} | {k[4] or '-'} | {_ms(h)} | "
                   + " | ".join(_ms(p) for p in peers) + f" | {ratio} |")
    return out


def targets(rows, core_peak_gflops=None):
    """[(issue, target, figure, ok or None)] for every target whose rows are present."""
    best = best_by_key(rows)
    found = []

    def get(model, bench, batch, threads, peer, callers=0):
        return best.get(((model, bench, batch, threads, callers), peer))

    def vs_training_peers(issue, model, batch, threads, need, note=""):
        h = get(model, "train_step", batch, threads, "hpc")
        ps = [(p, get(model, "train_step", batch, threads, p)) for p in TRAINING_PEERS]
        ps = [(p, r) for p, r in ps if r]
        if not h or not ps:
            return
        name, r = min(ps, key=lambda pr: pr[1]["median_ms"])
        sp = r["median_ms"] / h["median_ms"]
        found.append((issue, f"{model} step batch {batch} {threads}T >= {need}x best of PyTorch/TorchSharp{note}",
                      f"{sp:.2f}x (vs {name})", sp >= need))

    for t, need in ((1, 1.4), (2, 2.0)):
        vs_training_peers(15, "mlp", 64, t, need, " (AVX-512 machine target)")
    for t, need in ((1, 1.35), (2, 1.6)):
        vs_training_peers(15, "lenet", 64, t, need, " (AVX-512 machine target)")
    vs_training_peers(12, "nlm", 100, 1, 1.8)
    h = get("nlm", "train_step", 100, 1, "hpc")
    if h:
        found.append((12, "nlm step batch 100 1T <= 0.4 ms", f"{h['median_ms']:.3f} ms", h["median_ms"] <= 0.4))
    for t in (1, 2):
        vs_training_peers(13, "char_lstm", 32, t, 1.6)

    for model, t, need in (("mlp", 1, 0.5), ("mlp", 2, 0.5), ("lenet", 2, 0.6)):
        h, o = get(model, "infer_b1", 1, t, "hpc"), get(model, "infer_b1", 1, t, "onnxruntime")
        if h and o:
            rel = h["median_ms"] / o["median_ms"]
            found.append((17, f"{model} batch-1 median <= {need}x ONNX Runtime's ({t}T)", f"{rel:.2f}x", rel <= need))
    h = get("lenet", "infer_b1", 1, 1, "hpc")
    if h and core_peak_gflops:
        frac = LENET_B1_FLOP / (h["median_ms"] * 1e-3) / (core_peak_gflops * 1e9)
        found.append((17, "lenet batch-1 1T >= 85% of one core's FMA peak", f"{100 * frac:.0f}%", frac >= 0.85))
    for (k, peer), r in sorted(best.items()):
        if peer == "hpc" and k[1] in ("infer_b1", "infer_b1_callers") and k[0] in ("mlp", "lenet"):
            rel = r["p99_ms"] / r["median_ms"]
            who = f"{k[4]} callers" if k[4] else f"{k[3]}T"
            found.append((17, f"{k[0]} batch-1 p99 <= 2x median ({who})", f"{rel:.2f}x", rel <= 2.0))
    return found

