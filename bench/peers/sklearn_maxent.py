"""scikit-learn peer of `hpc train --model maxent`: the identical SpamAssassin features and split,
LogisticRegression (L2, lbfgs), the fit timed on one core.

  python3 bench/peers/sklearn_maxent.py [DATA_DIR] [--C 1 10]     prints one JSON line per C

Features (as src/Nn/Text/SpamCorpus.cs + TokenPresenceFeatures.cs): file_list.json sorted, index
% 5 == 4 is test; tokens = maximal runs of ASCII letters of the lower-cased raw bytes (headers
included, every other byte separates); the 20,000 tokens of highest training document frequency
(ties alphabetical); binary presence; label spam when the path's first folder starts with "spam".
"""
import json, os, re, sys, time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

args = sys.argv[1:]
cs = [1.0, 10.0]
if "--C" in args:
    i = args.index("--C")
    cs = [float(a) for a in args[i + 1:]]
    args = args[:i]
root = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "..", "data", "spam-assassin")
paths = sorted(json.load(open(os.path.join(root, "file_list.json"))))
word = re.compile(rb"[a-z]+")
docs = [set(word.findall(open(os.path.join(root, p), "rb").read().lower())) for p in paths]
labels = np.array([1 if p.split("/")[0].startswith("spam") else 0 for p in paths])
test = np.array([i % 5 == 4 for i in range(len(paths))])
df = {}
for d, t in zip(docs, test):
    if not t:
        for w in d:
            df[w] = df.get(w, 0) + 1
vocab = sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[:20000]
index = {w: i for i, (w, _) in enumerate(vocab)}


def matrix(rows):
    ind, ptr = [], [0]
    for d in rows:
        ind.extend(sorted(index[w] for w in d if w in index))
        ptr.append(len(ind))
    return csr_matrix((np.ones(len(ind), dtype=np.float64), np.array(ind), np.array(ptr)), shape=(len(rows), len(vocab)))


xtr = matrix([d for d, t in zip(docs, test) if not t])
xte = matrix([d for d, t in zip(docs, test) if t])
ytr, yte = labels[~test], labels[test]
import sklearn
for c in cs:
    clf = LogisticRegression(C=c, max_iter=1000)
    t0 = time.perf_counter()
    clf.fit(xtr, ytr)
    fit = time.perf_counter() - t0
    p = clf.predict_proba(xte)[:, 1]
    pred = (p > 0.5).astype(int)
    acc = float((pred == yte).mean())
    logloss = float(-np.mean(np.log(np.clip(np.where(yte == 1, p, 1 - p), 1e-15, 1))))
    tp = int(((pred == 1) & (yte == 1)).sum()); fp = int(((pred == 1) & (yte == 0)).sum()); fn = int(((pred == 0) & (yte == 1)).sum())
    print(json.dumps({"impl": f"sklearn {sklearn.__version__}", "bench": "maxent_spam", "C": c, "fit_s": round(fit, 4),
                      "test_accuracy": round(acc, 5), "log_loss": round(logloss, 5),
                      "spam_precision": round(tp / max(tp + fp, 1), 5), "spam_recall": round(tp / max(tp + fn, 1), 5),
                      "train": int(xtr.shape[0]), "test": int(xte.shape[0]), "features": int(xtr.shape[1])}))
