"""PyTorch peer of Hpc's neural language model (src/Nn/Text/NeuralLanguageModel.cs), identical:
nn.Embedding(250, 16) shared by the 3 context words -> flatten [100, 48] -> nn.Linear(48, 180) ->
sigmoid -> nn.Linear(180, 250) -> F.cross_entropy (mean over the batch); SGD lr 0.1 momentum 0.9
(PyTorch's form v = mu v + g, w -= lr v); every weight N(0, 0.1^2), biases 0.

  python3 bench/peers/torch_nlm.py [--threads 1 2] [--steps N]            step time, JSON lines
  python3 bench/peers/torch_nlm.py --train data/sotu [--epochs 30]        test perplexity

The step is timed call by call on one fixed random batch (as Hpc.Bench --nlm-step does).
"""
import json, math, os, re, sys, time

sys.path.insert(0, os.path.dirname(__file__))
from torch_common import set_threads, time_calls, BLAS  # noqa: E402
import torch
import torch.nn as nn
import torch.nn.functional as F

K, D, H, CTX, BATCH = 250, 16, 180, 3, 100


class Nlm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(K, D)
        self.hidden = nn.Linear(CTX * D, H)
        self.output = nn.Linear(H, K)
        for p in (self.embedding.weight, self.hidden.weight, self.output.weight):
            nn.init.normal_(p, 0.0, 0.1)
        nn.init.zeros_(self.hidden.bias)
        nn.init.zeros_(self.output.bias)

    def forward(self, x):
        return self.output(torch.sigmoid(self.hidden(self.embedding(x).reshape(x.shape[0], CTX * D))))


def step_fn(model, opt, x, y):
    def step():
        opt.zero_grad(set_to_none=False)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


def ngrams(root):
    files = sorted(f for f in os.listdir(root) if f.endswith(".txt"))
    toks = [re.findall(rb"[a-z]+", open(os.path.join(root, f), "rb").read().lower()) for f in files]
    split = [1 if i % 10 == 8 else 2 if i % 10 == 9 else 0 for i in range(len(files))]
    counts = {}
    for t, s in zip(toks, split):
        if s == 0:
            for w in t:
                counts[w] = counts.get(w, 0) + 1
    vocab = {w: i for i, (w, _) in enumerate(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:K])}
    out = ([], [], [])
    for t, s in zip(toks, split):
        ids = [vocab.get(w, -1) for w in t]
        for j in range(len(ids) - 3):
            if min(ids[j:j + 4]) >= 0:
                out[s].append(ids[j:j + 4])
    return [torch.tensor(o, dtype=torch.long) for o in out]


def main():
    args = sys.argv[1:]
    threads, steps, train, epochs = [1, 2], 3000, None, 30
    i = 0
    while i < len(args):
        if args[i] == "--threads":
            threads = []
            while i + 1 < len(args) and args[i + 1].isdigit():
                threads.append(int(args[i + 1])); i += 1
        elif args[i] == "--steps": steps = int(args[i + 1]); i += 1
        elif args[i] == "--train": train = args[i + 1]; i += 1
        elif args[i] == "--epochs": epochs = int(args[i + 1]); i += 1
        i += 1
    torch.manual_seed(1)
    if train:
        set_threads(threads[0])
        tr, va, te = ngrams(train)
        model = Nlm()
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        def ce(data):
            with torch.no_grad():
                return float(F.cross_entropy(model(data[:, :3]), data[:, 3], reduction="sum")) / len(data)
        for e in range(1, epochs + 1):
            t0 = time.perf_counter()
            perm = tr[torch.randperm(len(tr))]
            for b in range(0, len(perm), BATCH):
                batch = perm[b:b + BATCH]
                step_fn(model, opt, batch[:, :3], batch[:, 3])()
            print(json.dumps({"impl": f"torch {torch.__version__}", "epoch": e, "validation_ce": round(ce(va), 4),
                              "validation_ppl": round(math.exp(ce(va)), 3), "epoch_s": round(time.perf_counter() - t0, 2)}), flush=True)
        print(json.dumps({"impl": f"torch {torch.__version__}", "bench": "nlm_train", "epochs": epochs, "test_ppl": round(math.exp(ce(te)), 3)}))
        return
    for t in threads:
        set_threads(t)
        model = Nlm()
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        g = torch.Generator().manual_seed(7)
        x = torch.randint(0, K, (BATCH, CTX), generator=g)
        y = torch.randint(0, K, (BATCH,), generator=g)
        ns = sorted(time_calls(step_fn(model, opt, x, y), steps, 300))
        print(json.dumps({"impl": f"torch {torch.__version__}", "bench": "nlm_step", "threads": t, "batch": BATCH, "steps": steps,
                          "median_ms": round(ns[len(ns) // 2] / 1e6, 4), "p10_ms": round(ns[len(ns) // 10] / 1e6, 4),
                          "p90_ms": round(ns[len(ns) * 9 // 10] / 1e6, 4), "blas": BLAS}))


if __name__ == "__main__":
    main()
