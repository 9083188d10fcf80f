#!/usr/bin/python3
"""Brian2 2.5 peer for `hpc neuro simulate`: the recurrent random LIF network.

tau_m dv/dt = v_in + s - v (tau_m 20 ms, threshold 1, reset 0, refractory 2 ms, v held during
it), constant v_in ~ U(0.9, 1.5), initial v ~ U(0, 1); each (pre, post) pair connected with
probability p, on_pre s += w with w ~ 0.1 (U(0, 1) - 0.5); tau_s ds/dt = -s, tau_s = 5 ms;
dt = 0.1 ms; linear equations integrated exactly (Brian2's 'exact'), as Hpc does.

Prints one JSON object per run: wall and CPU seconds of run() for the simulated time, after a
1 ms run that compiles the code (cython) and is not counted.
Run with Debian's interpreter (python3-brian): /usr/bin/python3 bench/peers/brian2_network.py
    --target cython|numpy --neurons N --p P [--seconds 1]
"""
import argparse
import json
import time

import brian2 as b2


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", choices=["cython", "numpy"], default="cython")
    ap.add_argument("--neurons", type=int, default=10000)
    ap.add_argument("--p", type=float, default=0.01)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    b2.prefs.codegen.target = args.target
    b2.seed(args.seed)
    b2.defaultclock.dt = 0.1 * b2.ms
    tau_m, tau_s = 20 * b2.ms, 5 * b2.ms
    eqs = """
    dv/dt = (v_in + s - v) / tau_m : 1 (unless refractory)
    ds/dt = -s / tau_s : 1
    v_in : 1 (constant)
    """
    g = b2.NeuronGroup(args.neurons, eqs, threshold="v >= 1", reset="v = 0", refractory=2 * b2.ms,
                       method="exact", namespace={"tau_m": tau_m, "tau_s": tau_s})
    g.v = "rand()"
    g.v_in = "0.9 + 0.6 * rand()"
    syn = b2.Synapses(g, g, "w : 1", on_pre="s_post += w")
    syn.connect(p=args.p)
    syn.w = "0.1 * (rand() - 0.5)"
    spikes = b2.SpikeMonitor(g, record=False)
    net = b2.Network(g, syn, spikes)
    net.run(1 * b2.ms)  # compiles; not timed
    before = spikes.num_spikes
    wall0, cpu0 = time.perf_counter(), time.process_time()
    net.run(args.seconds * b2.second)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    n_spikes = spikes.num_spikes - before
    print(json.dumps({
        "peer": f"brian2-{args.target}", "brian2": b2.__version__, "neurons": args.neurons, "p": args.p,
        "synapses": len(syn), "seconds": args.seconds, "wall_s": wall, "cpu_s": cpu,
        "wall_per_sim_s": wall / args.seconds, "cpu_per_sim_s": cpu / args.seconds,
        "mean_rate_hz": n_spikes / (args.neurons * args.seconds),
    }))


if __name__ == "__main__":
    main()
