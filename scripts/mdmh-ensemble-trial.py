#!/usr/bin/python3
"""Session 11 trials for the Davidson hate class (issue 13, docs/benchmarks/integrity.md,
"Session 11"): do ensembles, other class weights, a two-stage model or a small neural
network lift the out-of-fold hate F1 above the ~0.50 of Vigil's design? Stratified k-fold
INSIDE a training file (the *.train.csv of `vigil mdmh split`), never a test split.

Models (out-of-fold logits, saved to OUT.npz):
  V_mn1 / V_mn03   Vigil-like blocks (word 1-2 + char_wb 2-5, sublinear tf-idf, lexicon
                   hits), multinomial LR C = 1 / 0.3, balanced
  V_ovr1           the same, one-vs-rest, C = 1
  Vn_mn1           with the prototype's text normalisation
  NB03             NB-weighted LR per class, C = 0.3
  D_l1             Davidson et al.'s recipe (stemmed word 1-3-grams, L1 selection C = 0.01,
                   liblinear C = 1; mdmh-l1-trial.py) + lexicon hits
  cwP              V_mn1 with class weights balanced**P (P from --cw)
  H0.3 / H1        two stages: neither vs the rest (C = 1), then hate vs offensive (C)
  MLP64            one hidden layer of 64 on the V blocks, classes oversampled, 4 epochs
Then `combine OUT.npz` prints each model and every average of 2 or 3 of them (log
probabilities): macro-F1 plain and with Vigil's offsets, hate P / R / F1 with offsets, and
the best hate F1 any hate offset alone reaches.

  /usr/bin/python3 scripts/mdmh-ensemble-trial.py fit davidson2017.train.csv 5 1 s1.npz V_mn1,V_ovr1,V_mn03,D_l1,NB03,Vn_mn1
  /usr/bin/python3 scripts/mdmh-ensemble-trial.py fit davidson2017.train.csv 5 1 cw.npz cw0.5,cw0.75,cw1.25
  /usr/bin/python3 scripts/mdmh-ensemble-trial.py fit davidson2017.train.csv 5 1 b.npz H0.3,H1,MLP64 1   # fold 0 only
  /usr/bin/python3 scripts/mdmh-ensemble-trial.py combine s1.npz
"""
import importlib.util, itertools, os, sys, time
import numpy as np, scipy.sparse as sp
from sklearn.feature_selection import SelectFromModel
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, file):
    s = importlib.util.spec_from_file_location(name, os.path.join(HERE, file))
    m = importlib.util.module_from_spec(s)
    s.loader.exec_module(m)
    return m


proto = load('proto', 'mdmh-cv-prototype.py')


def lr(A, y, C, **kw):
    return LogisticRegression(C=C, class_weight=kw.pop('cw', 'balanced'), max_iter=1000, **kw).fit(A, y)


def fit(path, folds, seed, out, which, maxf):
    X, y = proto.read(path)
    labs = sorted(set(y)); yi = np.array([labs.index(v) for v in y]); K = len(labs)
    oof = {m: np.full((len(y), K), np.nan) for m in which}
    l1 = load('l1', 'mdmh-l1-trial.py') if 'D_l1' in which else None
    for f, (tr, te) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, yi)):
        if f >= maxf:
            break
        Xtr = [X[i] for i in tr]; Xte = [X[i] for i in te]; ytr = yi[tr]
        L = (proto.lexfeat(Xtr), proto.lexfeat(Xte))

        def blocks(cfg):
            w, c = proto.feats(cfg)
            return (sp.hstack([w.fit_transform(Xtr), c.fit_transform(Xtr), L[0]]).tocsr(),
                    sp.hstack([w.transform(Xte), c.transform(Xte), L[1]]).tocsr())
        A, B = blocks({})
        for m in which:
            t = time.time()
            if m in ('V_mn1', 'V_mn03'):
                z = proto.logits(lr(A, ytr, 1 if m == 'V_mn1' else 0.3), B)
            elif m == 'V_ovr1':
                z = proto.logits(lr(A, ytr, 1, multi_class='ovr'), B)
            elif m == 'Vn_mn1':
                A2, B2 = blocks({'norm': 1})
                z = proto.logits(lr(A2, ytr, 1), B2)
            elif m == 'NB03':
                z = np.zeros((len(te), K))
                for k in range(K):
                    yb = (ytr == k).astype(int); r = proto.nbratio(A, yb)
                    z[:, k] = lr(A.multiply(r).tocsr(), yb, 0.3).decision_function(B.multiply(r).tocsr())
            elif m == 'D_l1':
                dv = l1.davvec(False)
                DA = sp.hstack([dv.fit_transform(Xtr), L[0]]).tocsr(); DB = sp.hstack([dv.transform(Xte), L[1]]).tocsr()
                sel = SelectFromModel(LogisticRegression(penalty='l1', C=0.01, class_weight='balanced', solver='liblinear')).fit(DA, ytr)
                z = proto.logits(LogisticRegression(C=1, class_weight='balanced', solver='liblinear').fit(sel.transform(DA), ytr), sel.transform(DB))
            elif m.startswith('cw'):
                bal = len(tr) / (K * np.bincount(ytr, minlength=K))
                z = proto.logits(lr(A, ytr, 1, cw={k: bal[k] ** float(m[2:]) for k in range(K)}), B)
            elif m.startswith('H'):
                n, h, o = labs.index('neither'), labs.index('hate'), labs.index('offensive')
                p1 = lr(A, (ytr != n).astype(int), 1).predict_proba(B)[:, 1]
                ab = ytr != n
                p2 = lr(A[ab], (ytr[ab] == h).astype(int), float(m[1:])).predict_proba(B)[:, 1]
                z = np.zeros((len(te), K)); eps = 1e-12
                z[:, n] = np.log(1 - p1 + eps); z[:, h] = np.log(p1 * p2 + eps); z[:, o] = np.log(p1 * (1 - p2) + eps)
            elif m.startswith('MLP'):
                rep = np.round(np.bincount(ytr, minlength=K).max() / np.bincount(ytr, minlength=K)).astype(int)
                idx = np.concatenate([np.repeat(np.where(ytr == k)[0], rep[k]) for k in range(K)])
                np.random.RandomState(0).shuffle(idx)
                mm = MLPClassifier(hidden_layer_sizes=(int(m[3:]),), alpha=1e-4, max_iter=4, batch_size=256,
                                   random_state=0, learning_rate_init=1e-3).fit(A[idx], ytr[idx])
                z = np.log(mm.predict_proba(B) + 1e-12)
            else:
                sys.exit(f'unknown model {m}')
            oof[m][te] = z
            print(f'fold {f} {m} {time.time() - t:.0f} s', file=sys.stderr, flush=True)
    np.savez(out, yi=yi, labs=labs, **oof)


def combine(path, cls='hate'):
    d = np.load(path); yi = d['yi']; labs = list(d['labs']); K = len(labs); h = labs.index(cls)
    names = [k for k in d.files if k not in ('yi', 'labs')]
    seen = np.all([~np.isnan(d[n][:, 0]) for n in names], 0); y = yi[seen]

    def logp(z):
        z = z - z.max(1, keepdims=True)
        return z - np.log(np.exp(z).sum(1, keepdims=True))
    Z = {n: logp(d[n][seen]) for n in names}
    print(f'{os.path.basename(path)}: {seen.sum()} posts scored out of fold')
    for r in (1, 2, 3):
        for c in itertools.combinations(names, r):
            z = sum(Z[n] for n in c) / r
            o, s = proto.best_thr(z, y, K)
            P, R, F, _ = precision_recall_fscore_support(y, np.argmax(z + o, 1), labels=[h], zero_division=0)
            best = max(f1_score(y, np.argmax(z + np.eye(K)[h] * v, 1), labels=[h], average=None)[0] for v in np.arange(-40, 41) * 0.05)
            print(f'{"+".join(c):34s} macro {f1_score(y, np.argmax(z, 1), average="macro"):.4f} offsets {s:.4f} '
                  f'{cls} {P[0]:.3f} / {R[0]:.3f} / {F[0]:.3f} best {cls} offset alone {best:.3f}', flush=True)


if __name__ == '__main__':
    if sys.argv[1] == 'combine':
        combine(sys.argv[2])
    else:
        a = sys.argv[2:]
        fit(a[0], int(a[1]), int(a[2]), a[3], a[4].split(','), int(a[5]) if len(a) > 5 else int(a[1]))
