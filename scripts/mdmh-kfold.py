#!/usr/bin/python3
"""k-fold check of the harmful-speech classifier on a whole labelled file (issue 13,
docs/benchmarks/integrity.md, "Session 11").

The test split of `vigil mdmh split` holds one fifth of a shared file; one F1 figure
for a small class on it moves by several hundredths with the draw. This scores the
product's own commands on every post of the file instead: stratified k folds (seeded),
each fold's train part given to `vigil mdmh train` (its defaults: cross-validation of
C, model kind and offsets inside the fold) and its held-out tenth to `vigil mdmh
classify`, beside scikit-learn's reference pipeline of the issue (TF-IDF word 1-2 +
char 2-5, logistic regression with balanced class weights) on the same folds.
Per fold and pooled over all folds: macro-F1 and the chosen class's P / R / F1.
Needs scikit-learn (/usr/bin/python3, Debian's python3-sklearn).

  /usr/bin/python3 scripts/mdmh-kfold.py --vigil ./vigil --in ../shared/data/mdmh/davidson2017_train.csv \
      --folds 10 --seed 1 --dir /tmp/kf --class hate
"""
import argparse, csv, os, subprocess, time
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline, make_union

csv.field_size_limit(1 << 30)


def write(path, rows):
    with open(path, 'w', encoding='utf-8', newline='') as fh:
        w = csv.DictWriter(fh, fieldnames=['id', 'text', 'label'])
        w.writeheader()
        for r in rows:
            w.writerow({'id': r['id'], 'text': r['text'], 'label': r['label']})


def labels(path):
    return {r['id']: r['label'] for r in csv.DictReader(open(path, encoding='utf-8'))}


def scores(y, p, cls):
    P, R, F, _ = precision_recall_fscore_support(y, p, labels=[cls], zero_division=0)
    return f'macro-F1 {f1_score(y, p, average="macro"):.4f}, {cls} {P[0]:.3f} / {R[0]:.3f} / {F[0]:.3f}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vigil', required=True)
    ap.add_argument('--in', dest='inp', required=True)
    ap.add_argument('--folds', type=int, default=10)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--class', dest='cls', default='hate')
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    rows = list(csv.DictReader(open(a.inp, encoding='utf-8')))
    y = [r['label'] for r in rows]
    pooled = {'vigil': ([], []), 'sklearn': ([], [])}
    folds = StratifiedKFold(a.folds, shuffle=True, random_state=a.seed).split(np.zeros(len(y)), y)
    for f, (tr, te) in enumerate(folds):
        base = os.path.join(a.dir, f'f{f}')
        write(base + '.train.csv', [rows[i] for i in tr])
        write(base + '.test.csv', [rows[i] for i in te])
        t0 = time.time()
        with open(base + '.trainlog', 'w') as log:
            subprocess.run([a.vigil, 'mdmh', 'train', '--in', base + '.train.csv', '--text-column', 'text',
                            '--label-column', 'label', '--out', base + '.model'], check=True, stderr=log, stdout=log)
        subprocess.run([a.vigil, 'mdmh', 'classify', '--model', base + '.model', '--in', base + '.test.csv',
                        '--text-column', 'text', '--out', base + '.vigil.csv'], check=True)
        t1 = time.time()
        pipe = make_pipeline(make_union(TfidfVectorizer(ngram_range=(1, 2)), TfidfVectorizer(analyzer='char', ngram_range=(2, 5))),
                             LogisticRegression(class_weight='balanced', max_iter=1000))
        pipe.fit([rows[i]['text'] for i in tr], [y[i] for i in tr])
        sk = dict(zip([rows[i]['id'] for i in te], pipe.predict([rows[i]['text'] for i in te])))
        t2 = time.time()
        truth = {rows[i]['id']: y[i] for i in te}
        vg = labels(base + '.vigil.csv')
        ids = list(truth)
        for name, pred in (('vigil', vg), ('sklearn', sk)):
            pooled[name][0].extend(truth[k] for k in ids)
            pooled[name][1].extend(pred[k] for k in ids)
        print(f'fold {f} ({len(tr)} / {len(te)}): Vigil {scores([truth[k] for k in ids], [vg[k] for k in ids], a.cls)} '
              f'({t1 - t0:.0f} s) · scikit-learn {scores([truth[k] for k in ids], [sk[k] for k in ids], a.cls)} '
              f'({t2 - t1:.0f} s) · load {open("/proc/loadavg").read().split()[0]}', flush=True)
    for name, (yt, yp) in pooled.items():
        print(f'pooled {name}: {scores(yt, yp, a.cls)}')


if __name__ == '__main__':
    main()
