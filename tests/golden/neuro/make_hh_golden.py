"""Golden Hodgkin-Huxley spike counts from Brian2 for the Neuro tests (CI only reads the output).

Run with Debian's Brian2 (apt-get install python3-brian):
    /usr/bin/python3 tests/golden/neuro/make_hh_golden.py
It writes hh_spike_counts.csv next to itself: the spikes (upward crossings of 0 mV) of one
squid-axon neuron per constant current over 200 ms from rest at dt = 0.01 ms, integrated by
Brian2's exponential Euler in double precision.
"""
import csv
import os
import sys

import brian2 as b2

CURRENTS = [0.0, 2.0, 4.0, 5.0, 6.0, 6.5, 7.0, 8.0, 10.0, 15.0, 20.0, 30.0, 50.0]  # uA/cm^2
DURATION_MS = 200.0
DT_MS = 0.01


def main():
    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = DT_MS * b2.ms
    eqs = """
    dv/dt = (I - gL*(v - EL) - gNa*m**3*h*(v - ENa) - gK*n**4*(v - EK)) / Cm : volt
    dm/dt = alpham*(1 - m) - betam*m : 1
    dh/dt = alphah*(1 - h) - betah*h : 1
    dn/dt = alphan*(1 - n) - betan*n : 1
    alpham = 1/exprel(-(v + 40*mV)/(10*mV))/ms : Hz
    betam = 4*exp(-(v + 65*mV)/(18*mV))/ms : Hz
    alphah = 0.07*exp(-(v + 65*mV)/(20*mV))/ms : Hz
    betah = 1/(1 + exp(-(v + 35*mV)/(10*mV)))/ms : Hz
    alphan = 0.1/exprel(-(v + 55*mV)/(10*mV))/ms : Hz
    betan = 0.125*exp(-(v + 65*mV)/(80*mV))/ms : Hz
    I : amp/meter**2
    """
    namespace = dict(
        Cm=1 * b2.ufarad / b2.cm**2, gNa=120 * b2.msiemens / b2.cm**2, gK=36 * b2.msiemens / b2.cm**2,
        gL=0.3 * b2.msiemens / b2.cm**2, ENa=50 * b2.mV, EK=-77 * b2.mV, EL=-54.387 * b2.mV)
    group = b2.NeuronGroup(len(CURRENTS), eqs, threshold="v > 0*mV", refractory="v > 0*mV",
                           method="exponential_euler", namespace=namespace)
    # Rest: v = -65 mV with every gate at its equilibrium alpha / (alpha + beta) there.
    group.v = -65 * b2.mV
    group.m = "alpham / (alpham + betam)"
    group.h = "alphah / (alphah + betah)"
    group.n = "alphan / (alphan + betan)"
    group.I = [c * b2.uA / b2.cm**2 for c in CURRENTS]
    spikes = b2.SpikeMonitor(group)
    b2.run(DURATION_MS * b2.ms, namespace=namespace)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hh_spike_counts.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["current_uA_per_cm2", "duration_ms", "dt_ms", "spikes", "first_spike_ms"])
        for i, c in enumerate(CURRENTS):
            times = spikes.t[spikes.i == i] / b2.ms
            first = f"{times[0]:.2f}" if len(times) else ""
            w.writerow([c, DURATION_MS, DT_MS, len(times), first])
    print(f"wrote {out} (Brian2 {b2.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
