#!/usr/bin/python3
"""Exports the peers' MLP and LeNet (bench/peers/torch_mlp.py, torch_lenet.py: the architectures of
Hpc's Models.Mlp 784-256-128-10 and LeNet.Spec) to ONNX for the ONNX Runtime peer
(bench/peers/onnxruntime/), with the Debian PyTorch's torch.onnx.export. Batch 1, static shapes
(what the batch-1 latency figures run), eval mode, weights from a fixed seed (latency does not
depend on their values). The files are generated at bench time, never committed.

  /usr/bin/python3 bench/peers/export_onnx.py [--out DIR]     (default build/peers/onnx)
Prints the path of each file written.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_lenet  # noqa: E402
import torch_mlp  # noqa: E402

OPSET = 13


def main():
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=os.path.join(root, "build", "peers", "onnx"))
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(0)
    for name, model, shape in (("mlp", torch_mlp.make_model(), (1, 784)),
                               ("lenet", torch_lenet.make_model(), (1, 1, 28, 28))):
        model.eval()
        path = os.path.join(a.out, f"{name}.onnx")
        with torch.no_grad():
            torch.onnx.export(model, torch.rand(*shape), path, opset_version=OPSET,
                              input_names=["input"], output_names=["logits"], do_constant_folding=True)
        print(path)


if __name__ == "__main__":
    main()
