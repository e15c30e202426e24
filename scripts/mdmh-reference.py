#!/usr/bin/python3
"""Reference harmful-speech classifier for `docs/benchmarks/integrity.md`.

scikit-learn could not be installed where Vigil is built (PyPI is refused), so
this script RE-IMPLEMENTS, with numpy and scipy only (Debian's python3-numpy and
python3-scipy), the pipeline the issue names as the reference:

    make_union(TfidfVectorizer(ngram_range=(1, 2)),
               TfidfVectorizer(analyzer="char", ngram_range=(2, 5)))
    + LogisticRegression(class_weight="balanced", max_iter=1000)

following scikit-learn's defaults (1.4–1.5):
  * TfidfVectorizer: lowercase=True, strip_accents=None,
    token_pattern r"(?u)\\b\\w\\w+\\b", word n-grams joined by one space,
    analyzer "char" (not "char_wb"): runs of whitespace collapsed to one space,
    then every substring of length 2..5; min_df=1, max_df=1.0, raw term counts
    (sublinear_tf=False), smooth_idf: idf = ln((1+n)/(1+df)) + 1, each row
    L2-normalised; the vocabulary and idf come from the training file only and
    unknown terms are ignored at prediction.
  * FeatureUnion: the two blocks side by side (each L2-normalised on its own).
  * LogisticRegression: solver lbfgs (scipy's L-BFGS-B, maxiter 1000, maxls 50,
    gtol = tol = 1e-4, ftol = 64·eps), C = 1.0, intercept fitted and not
    penalised, class_weight "balanced" (sample weight n / (k · count(class))),
    objective (1/Σw) Σ w_i loss_i + ||W||² / (2 C Σw); multinomial (softmax)
    for three classes or more, the binary logistic loss with one coefficient
    vector for two classes (as scikit-learn does); prediction = argmax.

Usage:
  /usr/bin/python3 scripts/mdmh-reference.py --train TRAIN.csv --test TEST.csv \
      [--text-column text] [--label-column label] [--vigil SCORED.csv] [--name NAME]

It trains on TRAIN, predicts TEST and prints, for the reference (and for
Vigil's predictions in SCORED.csv, matched by the `id` column, when given),
macro-F1 and per-class precision / recall / F1 as markdown table rows.

The train/test files are the ones `vigil mdmh split` writes: within each label,
rows ordered by the 64-bit FNV-1a hash of their id (ties by id); the first
floor(0.2·count + 0.5) are the test set. `--check-split FILE` re-derives that
split here and checks the two files agree with it.
"""
import argparse
import csv
import math
import re
import sys
import time

import numpy as np
import scipy.optimize
import scipy.sparse as sp

csv.field_size_limit(1 << 30)

TOKEN = re.compile(r"(?u)\b\w\w+\b")
WHITE = re.compile(r"\s\s+")


def word_ngrams(doc):
    toks = TOKEN.findall(doc.lower())
    out = list(toks)
    out += [toks[i] + " " + toks[i + 1] for i in range(len(toks) - 1)]
    return out


def char_ngrams(doc):
    doc = WHITE.sub(" ", doc.lower())
    n = len(doc)
    out = []
    for k in range(2, 6):
        out += [doc[i:i + k] for i in range(n - k + 1)]
    return out


class Tfidf:
    def __init__(self, analyzer):
        self.analyzer = analyzer

    def _counts(self, docs, vocab, grow):
        indptr, indices, data = [0], [], []
        for d in docs:
            c = {}
            for g in self.analyzer(d):
                j = vocab.get(g)
                if j is None:
                    if not grow:
                        continue
                    j = vocab[g] = len(vocab)
                c[j] = c.get(j, 0) + 1
            indices.extend(c.keys())
            data.extend(c.values())
            indptr.append(len(indices))
        return indptr, indices, data

    def fit_transform(self, docs):
        self.vocab = {}
        indptr, indices, data = self._counts(docs, self.vocab, True)
        X = sp.csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64), indptr),
                          shape=(len(docs), len(self.vocab)))
        X.sum_duplicates()
        n = X.shape[0]
        df = np.bincount(X.indices, minlength=X.shape[1])
        self.idf = np.log((1 + n) / (1 + df)) + 1
        return self._weigh(X)

    def transform(self, docs):
        indptr, indices, data = self._counts(docs, self.vocab, False)
        X = sp.csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64), indptr),
                          shape=(len(docs), len(self.vocab)))
        X.sum_duplicates()
        return self._weigh(X)

    def _weigh(self, X):
        X = X @ sp.diags(self.idf)
        X = sp.csr_matrix(X)
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sp.csr_matrix(sp.diags(1 / norms) @ X)


def fit_logreg(X, y, k, C=1.0, max_iter=1000, tol=1e-4):
    n, p = X.shape
    counts = np.bincount(y, minlength=k)
    sw = (n / (k * counts))[y]
    sw_sum = sw.sum()
    l2 = 1.0 / (C * sw_sum)
    Xc = sp.csr_matrix(X)
    if k == 2:
        t = (y == 1).astype(np.float64)

        def f(theta):
            w, b = theta[:p], theta[p]
            z = Xc @ w + b
            # log(1 + exp(z)) - t z, stably
            loss = np.logaddexp(0, z) - t * z
            val = (sw * loss).sum() / sw_sum + 0.5 * l2 * w @ w
            r = sw * (1 / (1 + np.exp(-z)) - t) / sw_sum
            g = np.empty_like(theta)
            g[:p] = Xc.T @ r + l2 * w
            g[p] = r.sum()
            return val, g

        theta0 = np.zeros(p + 1)
    else:
        Y = np.zeros((n, k))
        Y[np.arange(n), y] = 1

        def f(theta):
            W = theta[:p * k].reshape(k, p)
            b = theta[p * k:]
            Z = np.asarray(Xc @ W.T) + b
            Z -= Z.max(axis=1, keepdims=True)
            lse = np.log(np.exp(Z).sum(axis=1))
            loss = lse - Z[np.arange(n), y]
            val = (sw * loss).sum() / sw_sum + 0.5 * l2 * (W * W).sum()
            P = np.exp(Z - lse[:, None])
            R = (sw[:, None] * (P - Y)) / sw_sum
            g = np.empty_like(theta)
            g[:p * k] = (np.asarray((Xc.T @ R).T) + l2 * W).ravel()
            g[p * k:] = R.sum(axis=0)
            return val, g

        theta0 = np.zeros(p * k + k)
    res = scipy.optimize.minimize(f, theta0, method="L-BFGS-B", jac=True,
                                  options={"maxiter": max_iter, "maxls": 50, "gtol": tol,
                                           "ftol": 64 * np.finfo(float).eps})
    return res


def predict(res, X, k):
    p = X.shape[1]
    th = res.x
    if k == 2:
        z = X @ th[:p] + th[p]
        return (z > 0).astype(int)
    W = th[:p * k].reshape(k, p)
    Z = np.asarray(X @ W.T) + th[p * k:]
    return Z.argmax(axis=1)


def metrics(truth, pred, labels):
    rows = []
    f1s = []
    for l in labels:
        tp = sum(1 for t, p in zip(truth, pred) if t == l and p == l)
        fp = sum(1 for t, p in zip(truth, pred) if t != l and p == l)
        fn = sum(1 for t, p in zip(truth, pred) if t == l and p != l)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        f1s.append(f1)
        rows.append((l, pr, rc, f1, tp + fn))
    return sum(f1s) / len(f1s), rows


def read(path, cols):
    with open(path, newline="", encoding="utf-8") as fh:
        r = csv.DictReader(fh)
        return [[row[c] for c in cols] for row in r]


def fnv1a64(s):
    h = 14695981039346656037
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def check_split(full, train, test, label_col, frac=0.2):
    rows = read(full, ["id", label_col])
    by = {}
    for i, l in rows:
        by.setdefault(l, []).append(i)
    want = set()
    for l, ids in by.items():
        ids.sort(key=lambda i: (fnv1a64(i), i))
        want.update(ids[:int(math.floor(frac * len(ids) + 0.5))])
    got_test = {r[0] for r in read(test, ["id"])}
    got_train = {r[0] for r in read(train, ["id"])}
    ok = got_test == want and got_train == {i for i, _ in rows} - want
    print(f"split check {full}: {'agrees' if ok else 'DIFFERS'} ({len(got_train)} train, {len(got_test)} test)")
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--text-column", default="text")
    ap.add_argument("--label-column", default="label")
    ap.add_argument("--vigil", help="Vigil's scored CSV (id,label,score) for the test file")
    ap.add_argument("--name", default="")
    ap.add_argument("--check-split", metavar="FULL.csv")
    ap.add_argument("--sklearn", action="store_true", help="also run scikit-learn's own pipeline (needs scikit-learn)")
    a = ap.parse_args()
    if a.check_split and not check_split(a.check_split, a.train, a.test, a.label_column):
        sys.exit(1)
    tr = read(a.train, [a.text_column, a.label_column])
    te = read(a.test, ["id", a.text_column, a.label_column])
    labels = sorted({l for _, l in tr})
    li = {l: i for i, l in enumerate(labels)}
    t0 = time.time()
    wv, cv = Tfidf(word_ngrams), Tfidf(char_ngrams)
    Xtr = sp.hstack([wv.fit_transform([t for t, _ in tr]), cv.fit_transform([t for t, _ in tr])]).tocsr()
    ytr = np.array([li[l] for _, l in tr])
    res = fit_logreg(Xtr, ytr, len(labels))
    Xte = sp.hstack([wv.transform([t for _, t, _ in te]), cv.transform([t for _, t, _ in te])]).tocsr()
    pred = [labels[i] for i in predict(res, Xte, len(labels))]
    secs = time.time() - t0
    truth = [l for _, _, l in te]
    name = a.name or a.test
    print(f"# {name}: {len(tr)} train, {len(te)} test; reference features {Xtr.shape[1]}, "
          f"L-BFGS iterations {res.nit} ({res.message if isinstance(res.message, str) else res.message.decode()}), {secs:.1f} s")
    print("| data | model | macro-F1 | " + " | ".join(f"{l} P / R / F1" for l in labels) + " |")
    systems = [("reference (sklearn re-implementation)", pred)]
    if a.sklearn:
        # scikit-learn itself, when installed (Debian: python3-sklearn)
        import sklearn
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union
        t1 = time.time()
        pipe = make_pipeline(
            make_union(TfidfVectorizer(ngram_range=(1, 2)), TfidfVectorizer(analyzer="char", ngram_range=(2, 5))),
            LogisticRegression(class_weight="balanced", max_iter=1000))
        pipe.fit([t for t, _ in tr], [l for _, l in tr])
        skpred = list(pipe.predict([t for _, t, _ in te]))
        print(f"# scikit-learn {sklearn.__version__}: {time.time() - t1:.1f} s")
        systems.append((f"reference (scikit-learn {sklearn.__version__})", skpred))
    if a.vigil:
        vp = {r[0]: r[1] for r in read(a.vigil, ["id", "label"])}
        systems.append(("Vigil", [vp.get(i, "") for i, _, _ in te]))
    for sysname, p in systems:
        mf, rows = metrics(truth, p, labels)
        cells = " | ".join(f"{pr:.3f} / {rc:.3f} / {f1:.3f}" for _, pr, rc, f1, _ in rows)
        print(f"| {name} | {sysname} | {mf:.4f} | {cells} |")


if __name__ == "__main__":
    main()
