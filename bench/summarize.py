#!/usr/bin/env python3
"""Turns one bench/run.sh results directory into markdown tables with the issue 3 / issue 5
targets checked (bench/README.md). Reads:
  bdn/results/*-report-brief.json   BenchmarkDotNet (medians in ns)
  hpc-latency.jsonl                 Hpc.Bench --latency (per-call median/p99, ms)
  breakdown-{mlp,lenet}.md          Hpc.Bench --breakdown (per-layer step time), included as is
  torch-*.jsonl, dnnl-*.jsonl       peers (PyTorch: mlp, lenet, nlm, lstm; oneDNN)
  torchsharp.jsonl, onnxruntime.jsonl   the NuGet peers (a NAME.skipped file says their setup failed)
  interleaved-*.jsonl               dnnl_conv --vs-hpc (Hpc and oneDNN called in turn, one process)
  machine.txt                       CPU, date, load
Prints markdown on stdout. Missing inputs are reported as such, never filled in.
Usage: summarize.py RESULTS_DIR
"""
import glob
import json
import math
import os
import sys
from collections import defaultdict

import peer_table

ISA_ORDER = ["Scalar", "Avx2", "Avx512", "OpenBlas"]


def load_jsonl(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    rows.append(json.loads(line))
    return rows


def load_bdn(d):
    """{type: [ {params: {...}, method, median_ns} ]}"""
    out = defaultdict(list)
    for f in sorted(glob.glob(os.path.join(d, "bdn", "results", "*-report-brief.json"))):
        with open(f) as fh:
            data = json.load(fh)
        for b in data.get("Benchmarks", []):
            params = {}
            for kv in (b.get("Parameters") or "").split("&"):
                if "=" in kv:
                    k, v = kv.split("=", 1)
                    params[k] = v
            st = b.get("Statistics") or {}
            if not st or st.get("Median") is None:
                continue
            out[b["Type"]].append({"params": params, "method": b["Method"], "median_ns": st["Median"],
                                   "p95_ns": (st.get("Percentiles") or {}).get("P95")})
    return out


def gmean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def verdict(ok):
    return "**MET**" if ok else "**MISSED**"


def fmt(x, nd=2):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{x:.{nd}f}"


def gemm_flops(shape):
    # "NT 128x256x784"
    dims = shape.split()[1].split("x")
    m, n, k = (int(v) for v in dims)
    return 2.0 * m * n * k


class Report:
    def __init__(self, d):
        self.d = d
        self.bdn = load_bdn(d)
        self.lat = load_jsonl(os.path.join(d, "hpc-latency.jsonl"))
        self.torch = []
        for f in sorted(glob.glob(os.path.join(d, "torch-*.jsonl"))):
            self.torch += load_jsonl(f)
        self.nuget_peers = load_jsonl(os.path.join(d, "torchsharp.jsonl")) + load_jsonl(os.path.join(d, "onnxruntime.jsonl"))
        self.dnnl = []
        for f in sorted(glob.glob(os.path.join(d, "dnnl-*.jsonl"))):
            self.dnnl += load_jsonl(f)
        self.interleaved = []
        for f in sorted(glob.glob(os.path.join(d, "interleaved-*.jsonl"))):
            self.interleaved += load_jsonl(f)
        self.lines = []
        self.targets = []  # (issue, target, figure, verdict)
        self.peak = {}

    def p(self, s=""):
        self.lines.append(s)

    def target(self, issue, what, figure, ok):
        self.targets.append((issue, what, figure, "n/a" if ok is None else verdict(ok)))

    # ---------------------------------------------------------------- peak
    def peak_section(self):
        rows = self.bdn.get("PeakFlops", [])
        self.p("## Peak FMA throughput (PeakFlops, C# Vector256/512 FMA chains)")
        if not rows:
            self.p("\nNot run.\n")
            return
        self.p("\n| vector | threads | GFLOP/s |\n|---|---:|---:|")
        for r in rows:
            width, th = r["params"]["Case"].split(" x")
            from_iters = 2.0 * (1 << 20) * 12 * (16 if width == "avx512" else 8) * int(th)
            g = from_iters / r["median_ns"]
            self.peak[(width, int(th))] = g
            self.p(f"| {width} | {th} | {fmt(g, 1)} |")
        self.p()

    def core_peak(self, threads=1):
        for w in ("avx512", "avx2"):
            if (w, threads) in self.peak:
                return self.peak[(w, threads)], w
        return None, None

    # ---------------------------------------------------------------- sgemm
    def sgemm_section(self):
        rows = self.bdn.get("SgemmBench", [])
        self.p("## sgemm GFLOP/s per path and thread count (SgemmBench)")
        if not rows:
            self.p("\nNot run.\n")
            return
        g = {}
        shapes, isas = [], set()
        for r in rows:
            pr = r["params"]
            key = (pr["Shape"], pr["Isa"], int(pr["Threads"]))
            g[key] = gemm_flops(pr["Shape"]) / r["median_ns"]
            if pr["Shape"] not in shapes:
                shapes.append(pr["Shape"])
            isas.add(pr["Isa"])
        isas = [i for i in ISA_ORDER if i in isas]
        ours = "Avx512" if "Avx512" in isas else "Avx2"
        has_blas = "OpenBlas" in isas
        cols = [(i, t) for t in (1, 2) for i in isas]
        self.p(f"\n'ours' = {ours} (the path AUTO picks on this CPU). Ratio = ours / OpenBLAS at the same thread count.\n")
        head = "| shape (op m x n x k) | " + " | ".join(f"{i} {t}T" for i, t in cols) + " | ours/OB 1T | ours/OB 2T |"
        self.p(head)
        self.p("|---|" + "---:|" * (len(cols) + 2))
        ratios = {1: [], 2: []}
        for s in shapes:
            cells = [fmt(g.get((s, i, t)), 1) for i, t in cols]
            rr = []
            for t in (1, 2):
                a, b = g.get((s, ours, t)), g.get((s, "OpenBlas", t))
                r = a / b if a and b else None
                if r:
                    ratios[t].append(r)
                rr.append(fmt(r))
            self.p(f"| {s} | " + " | ".join(cells) + f" | {rr[0]} | {rr[1]} |")
        self.p()
        if not has_blas:
            self.p("OpenBLAS path not built: no ratios.\n")
            return
        for t in (1, 2):
            gm = gmean(ratios[t])
            self.p(f"- geometric mean ours/OpenBLAS, {t} thread(s), over {len(ratios[t])} shapes: **{fmt(gm, 3)}**")
            self.target(3, f"{t}T geomean vs OpenBLAS {t}T >= 1.0", fmt(gm, 3), gm >= 1.0)
        sq = [s for s in shapes if s.startswith("NN ") and len(set(s.split()[1].split("x"))) == 1
              and int(s.split()[1].split("x")[0]) >= 512]
        worst = [(s, g.get((s, ours, 1)) / g.get((s, "OpenBlas", 1))) for s in sq
                 if g.get((s, ours, 1)) and g.get((s, "OpenBlas", 1))]
        if worst:
            ws = min(worst, key=lambda x: x[1])
            self.p(f"- square >= 512, 1 thread: worst ratio {fmt(ws[1], 3)} at {ws[0]}")
            self.target(3, "1T >= 0.9x OpenBLAS at every square >= 512", f"min {fmt(ws[1], 3)} ({ws[0]})", ws[1] >= 0.9)
        s1024 = "NN 1024x1024x1024"
        pk, pw = self.core_peak(1)
        if g.get((s1024, ours, 1)):
            if pk:
                frac = g[(s1024, ours, 1)] / pk
                self.p(f"- 1024, 1 thread: {fmt(g[(s1024, ours, 1)], 1)} GFLOP/s = {fmt(100 * frac, 1)}% of the measured {pw} 1-core peak {fmt(pk, 1)}")
                self.target(3, ">= 80% of 1-core FMA peak at 1024 (1T)", f"{fmt(100 * frac, 1)}%", frac >= 0.8)
            if g.get((s1024, ours, 2)):
                sc = g[(s1024, ours, 2)] / g[(s1024, ours, 1)]
                self.p(f"- 1024: 2 threads / 1 thread = {fmt(sc, 2)}x")
                self.target(3, "2T >= 1.8x own 1T at 1024", f"{fmt(sc, 2)}x", sc >= 1.8)
        for s in ("NN 1x256x784", "NT 1x256x784"):
            a, b = g.get((s, ours, 1)), g.get((s, "OpenBlas", 1))
            if a and b:
                self.p(f"- batch-1 {s}, 1 thread: ours {fmt(a, 1)} vs OpenBLAS {fmt(b, 1)} GFLOP/s = {fmt(a / b, 2)}x")
                self.target(3, f"batch-1 {s} >= 1.5x OpenBLAS (1T)", f"{fmt(a / b, 2)}x", a / b >= 1.5)
        self.p()

    # ---------------------------------------------------------------- overhead
    def overhead_section(self):
        rows = self.bdn.get("CallOverhead", [])
        self.p("## Per-call overhead from C# (CallOverhead)")
        if not rows:
            self.p("\nNot run.\n")
            return
        self.p("\n| call | median ns |\n|---|---:|")
        for r in rows:
            self.p(f"| {r['method']} | {fmt(r['median_ns'], 1)} |")
            if r["method"] == "Sgemm1x1x1":
                self.target(3, "1x1x1 hpc_sgemm from C# < 100 ns", f"{fmt(r['median_ns'], 1)} ns", r["median_ns"] < 100)
        self.p()

    # ---------------------------------------------------------------- end to end
    def peer(self, model, bench, batch, threads):
        for r in self.torch:
            if r["model"] == model and r["bench"] == bench and r["batch"] == batch and r["threads"] == threads:
                return r
        return None

    def e2e_section(self, model, title, issue):
        ours = [r for r in self.lat if r["model"] == model and r["bench"] in ("train_step", "infer_b1")]
        self.p(f"## {title}: Hpc (--latency, per-call Stopwatch) vs PyTorch {self.torch[0]['version'] if self.torch else ''}")
        if not ours:
            self.p("\nNot run (or the model is not available in src/Nn yet).\n")
            return
        self.p("\n| bench | batch | threads | Hpc median ms | Hpc p99 ms | PyTorch median ms | PyTorch p99 ms | speed-up (PyTorch / Hpc median) |")
        self.p("|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in ours:
            t = self.peer(model, r["bench"], r["batch"], r["threads"])
            sp = t["median_ms"] / r["median_ms"] if t else None
            self.p(f"| {r['bench']} ({r['isa']}) | {r['batch']} | {r['threads']} | {fmt(r['median_ms'], 4)} | {fmt(r['p99_ms'], 4)} | "
                   f"{fmt(t['median_ms'], 4) if t else '-'} | {fmt(t['p99_ms'], 4) if t else '-'} | {fmt(sp)} |")
            if r["bench"] == "train_step" and sp is not None:
                self.target(issue, f"{model} train step batch {r['batch']} {r['threads']}T >= 1.5x PyTorch", f"{fmt(sp)}x", sp >= 1.5)
            if r["bench"] == "infer_b1":
                if model == "mlp":
                    us = 1000 * r["median_ms"]
                    self.target(3, f"mlp batch-1 inference median <= 10 us ({r['threads']}T)", f"{fmt(us, 1)} us", us <= 10)
                elif t:
                    rel = r["median_ms"] / t["median_ms"]
                    self.target(5, f"lenet batch-1 inference median <= 0.5x PyTorch ({r['threads']}T)", f"{fmt(rel)}x", rel <= 0.5)
        self.p()
        bdn_type = {"mlp": ["MlpStep", "MlpInference"], "lenet": ["LeNetStep", "LeNetInference"]}[model]
        rows = [(t, r) for t in bdn_type for r in self.bdn.get(t, [])]
        if rows:
            self.p("BenchmarkDotNet cross-check (median):\n\n| suite | params | median ms |\n|---|---|---:|")
            for t, r in rows:
                ps = ", ".join(f"{k}={v}" for k, v in r["params"].items())
                self.p(f"| {t} | {ps} | {fmt(r['median_ns'] / 1e6, 4)} |")
            self.p()

    # ---------------------------------------------------------------- conv
    def conv_section(self):
        rows = self.bdn.get("ConvBench", [])
        self.p("## Convolution GFLOP/s: Hpc (ConvBench) vs oneDNN 2.6 (bench/peers/dnnl_conv.c)")
        if not rows and not self.dnnl:
            self.p("\nNot run.\n")
            return
        shape_key = {"lenet1": "lenet1", "lenet2": "lenet2", "conv3x3": "conv3x3"}
        op_key = {"Forward": "forward", "BackwardData": "backward_data", "BackwardWeights": "backward_weights"}
        ours = defaultdict(dict)  # (shape, op, threads) -> {isa: gflops}
        flops_of = {}
        for r in rows:
            pr = r["params"]
            name = pr["Shape"].split()[0]
            # "lenet1 N64 C1 28x28 K32 5x5 p2"
            parts = pr["Shape"].split()
            n, c = int(parts[1][1:]), int(parts[2][1:])
            hw = int(parts[3].split("x")[0])
            k = int(parts[4][1:])
            rr = int(parts[5].split("x")[0])
            pad = int(parts[6][1:])
            o = hw + 2 * pad - rr + 1
            fl = 2.0 * n * k * c * rr * rr * o * o
            flops_of[name] = fl
            ours[(name, op_key[r["method"]], int(pr["Threads"]))][pr["Isa"]] = fl / r["median_ns"]
        dn = defaultdict(dict)  # (shape, op, threads) -> {"best": (g, impl), "gemm": g}
        for r in self.dnnl:
            name = r["shape"].split("_")[0]
            key = (name, r["op"], int(r["threads"]))
            best = dn[key].get("best")
            if best is None or r["gflops"] > best[0]:
                dn[key]["best"] = (r["gflops"], r["impl_name"])
            if "gemm" in r["impl_name"]:
                dn[key]["gemm"] = r["gflops"]
        keys = sorted(set(ours) | set(dn), key=lambda k: (["lenet1", "lenet2", "conv3x3"].index(k[0]) if k[0] in shape_key else 9,
                                                        ["forward", "backward_data", "backward_weights"].index(k[1]), k[2]))
        isas = [i for i in ISA_ORDER if any(i in v for v in ours.values())]
        best_isa = "Avx512" if "Avx512" in isas else "Avx2"
        pk, pw = self.core_peak(1)
        self.p(f"\nFraction of peak = Hpc {best_isa} GFLOP/s / (threads x measured 1-core {pw or '?'} peak {fmt(pk, 1)}). "
               "oneDNN best = fastest of its non-reference implementations (blocked layouts, reorders not timed); "
               "oneDNN gemm = its im2col+GEMM implementation.\n")
        self.p("| shape | op | threads | " + " | ".join(f"Hpc {i}" for i in isas) +
               " | % of peak | oneDNN best (impl) | oneDNN gemm | Hpc/oneDNN best | Hpc/oneDNN gemm |")
        self.p("|---|---|---:|" + "---:|" * len(isas) + "---:|---|---:|---:|---:|")
        for key in keys:
            o = ours.get(key, {})
            d = dn.get(key, {})
            ob = o.get(best_isa)
            best = d.get("best")
            gemm = d.get("gemm")
            frac = ob / (pk * key[2]) if ob and pk else None
            r1 = ob / best[0] if ob and best else None
            r2 = ob / gemm if ob and gemm else None
            self.p(f"| {key[0]} | {key[1]} | {key[2]} | " + " | ".join(fmt(o.get(i), 1) for i in isas) +
                   f" | {fmt(100 * frac, 1) if frac else '-'}% | {fmt(best[0], 1) + ' (' + best[1] + ')' if best else '-'} | "
                   f"{fmt(gemm, 1)} | {fmt(r1)} | {fmt(r2)} |")
            if key[1] in ("forward", "backward_weights") and r1 is not None:
                self.target(5, f"conv {key[1]} {key[0]} {key[2]}T >= 0.8x oneDNN best", f"{fmt(r1)}x", r1 >= 0.8)
        self.p()

    def interleaved_section(self):
        self.p("## Convolution, Hpc and oneDNN interleaved in one process (dnnl_conv --vs-hpc)")
        if not self.interleaved:
            self.p("\nNot run.\n")
            return
        self.p("\nEach call of oneDNN's fastest implementation (blocked layouts, reorders not timed) is followed by "
               "one of Hpc's hpc_conv2d_* (NCHW), for a few seconds per shape: both meet the same phases of the "
               "machine. Medians; best in brackets.\n")
        self.p("| shape | op | threads | Hpc GFLOP/s | oneDNN GFLOP/s (impl) | Hpc / oneDNN (median) | Hpc / oneDNN (best) |")
        self.p("|---|---|---:|---:|---|---:|---:|")
        by = defaultdict(dict)
        for r in self.interleaved:
            by[(r["shape"].split("_")[0], r["op"], int(r["threads"]))][r["peer"]] = r
        order = ["lenet1", "lenet2", "conv3x3"], ["forward", "backward_data", "backward_weights"]
        for key in sorted(by, key=lambda k: (order[0].index(k[0]) if k[0] in order[0] else 9, order[1].index(k[1]), k[2])):
            h, d = by[key].get("hpc"), by[key].get("onednn")
            if not h or not d:
                continue
            r1, r2 = h["gflops"] / d["gflops"], h["gflops_best"] / d["gflops_best"]
            self.p(f"| {key[0]} | {key[1]} | {key[2]} | {fmt(h['gflops'], 1)} ({fmt(h['gflops_best'], 1)}) | "
                   f"{fmt(d['gflops'], 1)} ({fmt(d['gflops_best'], 1)}; {d['impl_name']}) | {fmt(r1)} | {fmt(r2)} |")
            if key[1] in ("forward", "backward_weights"):
                self.target(5, f"conv {key[1]} {key[0]} {key[2]}T >= 0.8x oneDNN best (interleaved, median)",
                            f"{fmt(r1)}x", r1 >= 0.8)
        self.p()

    # ---------------------------------------------------------------- every end-to-end peer
    def peers_section(self):
        self.p("## Hpc vs PyTorch, TorchSharp and ONNX Runtime (same run; bench/peer_table.py)")
        for name in ("torchsharp", "onnxruntime"):
            f = os.path.join(self.d, f"{name}.skipped")
            if os.path.exists(f):
                self.p(f"\n**Suite {name} skipped**: {open(f).read().strip()}")
        rows = self.lat + self.torch + self.nuget_peers
        if not any(r.get("peer") != "hpc" for r in rows):
            self.p("\nNo peer ran.\n")
            return
        self.p("\nMedian and p99 per call in ms; best peer / Hpc > 1 means Hpc is faster. Hpc's batch-1 rows with "
               "callers give every caller its own model (no shared session yet); ONNX Runtime's share one session.\n")
        for line in peer_table.table(rows):
            self.p(line)
        self.p()
        peak, _ = self.core_peak(1)
        for issue, what, figure, ok in peer_table.targets(rows, peak):
            self.target(issue, what, figure, ok)

    def render(self, machine):
        self.peak_section()
        self.sgemm_section()
        self.overhead_section()
        self.e2e_section("mlp", "MLP 784-256-128-10", 3)
        self.conv_section()
        self.interleaved_section()
        self.e2e_section("lenet", "LeNet", 5)
        self.peers_section()
        for m in ("mlp", "lenet"):
            f = os.path.join(self.d, f"breakdown-{m}.md")
            if os.path.exists(f):
                self.p(f"## Where the {m} training step goes (Hpc.Bench --breakdown)\n")
                self.p(open(f).read().strip())
                self.p()
        banner = []
        if "quick: 1" in machine:
            banner = ["> **Quick (smoke) run: few iterations and small shapes. These numbers are not measurements "
                      "to quote, and the verdicts below mean nothing.**", ""]
        out = ["# Benchmark summary", ""] + banner + ["```", machine.strip(), "```", "", "## Targets", "",
               "| issue | target | measured | verdict |", "|---:|---|---|---|"]
        for t in self.targets:
            out.append(f"| {t[0]} | {t[1]} | {t[2]} | {t[3]} |")
        out.append("")
        return "\n".join(out + self.lines) + "\n"


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    d = sys.argv[1]
    mpath = os.path.join(d, "machine.txt")
    machine = open(mpath).read() if os.path.exists(mpath) else "(machine.txt missing)"
    sys.stdout.write(Report(d).render(machine))
    return 0


if __name__ == "__main__":
    sys.exit(main())
