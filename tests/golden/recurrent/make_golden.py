"""Golden values for Hpc's Rnn and Lstm from PyTorch (Debian python3-torch 1.13): run by hand,
`/usr/bin/python3 tests/golden/recurrent/make_golden.py`, and commit the JSON files; CI only reads them.

Each case: a stacked nn.LSTM / nn.RNN (tanh) with its parameters under PyTorch's own names, an
input, an initial state, the outputs (y, h_n, c_n) and the gradients of
L = sum(y * ry) + sum(h_n * rh) + sum(c_n * rc) with respect to every parameter, x, h0 and c0.
Inputs are drawn in float32 and the computation runs in float64, so the files hold the exact
answer for the float32 inputs Hpc reads.
"""
import json
import os

import torch


def case(name, kind, input_size, hidden, layers, steps, batch, batch_first, seed):
    g = torch.Generator().manual_seed(seed)

    def rnd(*shape, scale=1.0):
        return ((torch.rand(*shape, generator=g) * 2 - 1) * scale).float().double()

    cls = torch.nn.LSTM if kind == "lstm" else torch.nn.RNN
    m = cls(input_size, hidden, num_layers=layers, batch_first=batch_first).double()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(rnd(*p.shape, scale=0.6))
    xs = (batch, steps, input_size) if batch_first else (steps, batch, input_size)
    x = rnd(*xs).requires_grad_()
    h0 = rnd(layers, batch, hidden).requires_grad_()
    c0 = rnd(layers, batch, hidden).requires_grad_()
    if kind == "lstm":
        y, (hn, cn) = m(x, (h0, c0))
    else:
        y, hn = m(x, h0)
        cn = None
    ry = rnd(*y.shape)
    rh = rnd(*hn.shape)
    loss = (y * ry).sum() + (hn * rh).sum()
    rc = None
    if cn is not None:
        rc = rnd(*cn.shape)
        loss = loss + (cn * rc).sum()
    loss.backward()

    def flat(t):
        return [float(v) for v in t.detach().reshape(-1)]

    out = {
        "kind": kind, "input_size": input_size, "hidden": hidden, "layers": layers, "steps": steps,
        "batch": batch, "batch_first": batch_first,
        "params": {n: flat(p) for n, p in m.named_parameters()},
        "grads": {n: flat(p.grad) for n, p in m.named_parameters()},
        "x": flat(x), "h0": flat(h0), "y": flat(y), "h_n": flat(hn), "ry": flat(ry), "rh": flat(rh),
        "dx": flat(x.grad), "dh0": flat(h0.grad),
    }
    if cn is not None:
        out.update({"c0": flat(c0), "c_n": flat(cn), "rc": flat(rc), "dc0": flat(c0.grad)})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".json")
    with open(path, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, "torch", torch.__version__)


case("lstm_2layer", "lstm", input_size=3, hidden=4, layers=2, steps=5, batch=2, batch_first=False, seed=1)
case("lstm_batch_first", "lstm", input_size=5, hidden=7, layers=1, steps=3, batch=3, batch_first=True, seed=2)
case("rnn_tanh", "rnn", input_size=3, hidden=5, layers=2, steps=4, batch=3, batch_first=False, seed=3)
