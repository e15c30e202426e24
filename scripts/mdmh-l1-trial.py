#!/usr/bin/python3
"""L1 selection trial for the harmful-speech classifier (issue 13,
docs/benchmarks/integrity.md, "Session 10", "L1 selection trial").

Tests, by stratified k-fold cross-validation INSIDE a training file (the
*.train.csv of `vigil mdmh split`; never a test split), the two ingredients of
Davidson et al.'s (2017) published model that Vigil lacks:

  1. L1-based feature selection before the L2 model: SelectFromModel on a
     one-vs-rest L1 logistic regression (liblinear, balanced class weights,
     C = --l1), then the L2 logistic regression on the kept columns;
  2. Davidson-like word features: Porter-stemmed word 1-3-grams of the text
     with URLs and mentions removed, letters only, English stop words (here
     scikit-learn's list plus "rt", "ff"; they used NLTK's), min_df 5,
     max_df 0.75, max_features 10000, idf without smoothing and, as they did,
     no row normalisation ("dav") or, to sit beside Vigil's blocks, sublinear
     tf and l2 rows ("dav2").

Everything is combined with the lexicon-hit features Vigil has (count, highest
severity, any; scripts/mdmh-cv-prototype.py's lexfeat). Vocabulary, idf and
selection are fitted on each fold's training part only. Reported per setting:
out-of-fold macro-F1 and hate P/R/F1, plain (argmax) and after per-class logit
offsets fitted to the out-of-fold scores (Vigil's rule, as in the prototype).
Needs scikit-learn (/usr/bin/python3, Debian's python3-sklearn 1.2.1).

  /usr/bin/python3 scripts/mdmh-l1-trial.py davidson2017.train.csv [folds] [seed]
"""
import importlib.util, os, re, sys, time
import numpy as np, scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer, ENGLISH_STOP_WORDS
from sklearn.feature_selection import SelectFromModel
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

_spec = importlib.util.spec_from_file_location(
    'proto', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'mdmh-cv-prototype.py'))
proto = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(proto)


# ---- Porter (1980) stemmer, the original algorithm (NLTK's "ORIGINAL_ALGORITHM"
# differs in a few rules; close enough for a trial).
def _cons(w, i):
    c = w[i]
    if c in 'aeiou':
        return False
    if c == 'y':
        return i == 0 or not _cons(w, i - 1)
    return True

def _m(s):
    n, i, L = 0, 0, len(s)
    while i < L and _cons(s, i):
        i += 1
    while i < L:
        while i < L and not _cons(s, i):
            i += 1
        if i >= L:
            break
        while i < L and _cons(s, i):
            i += 1
        n += 1
    return n

def _vowel(s):
    return any(not _cons(s, i) for i in range(len(s)))

def _dbl(s):
    return len(s) >= 2 and s[-1] == s[-2] and _cons(s, len(s) - 1)

def _cvc(s):
    L = len(s)
    return L >= 3 and _cons(s, L - 3) and not _cons(s, L - 2) and _cons(s, L - 1) and s[-1] not in 'wxy'

def _rep(w, pairs, mmin):
    for suf, r in pairs:
        if w.endswith(suf):
            stem = w[:len(w) - len(suf)]
            return stem + r if _m(stem) > mmin else w
    return w

S2 = [('ational', 'ate'), ('tional', 'tion'), ('enci', 'ence'), ('anci', 'ance'), ('izer', 'ize'),
      ('bli', 'ble'), ('alli', 'al'), ('entli', 'ent'), ('eli', 'e'), ('ousli', 'ous'),
      ('ization', 'ize'), ('ation', 'ate'), ('ator', 'ate'), ('alism', 'al'), ('iveness', 'ive'),
      ('fulness', 'ful'), ('ousness', 'ous'), ('aliti', 'al'), ('iviti', 'ive'), ('biliti', 'ble'),
      ('logi', 'log')]
S3 = [('icate', 'ic'), ('ative', ''), ('alize', 'al'), ('iciti', 'ic'), ('ical', 'ic'), ('ful', ''), ('ness', '')]
S4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou',
      'ism', 'ate', 'iti', 'ous', 'ive', 'ize']
_cache = {}

def stem(w):
    if len(w) <= 2:
        return w
    if w in _cache:
        return _cache[w]
    o = w
    if w.endswith('sses') or w.endswith('ies'):
        w = w[:-2]
    elif w.endswith('s') and not w.endswith('ss'):
        w = w[:-1]
    if w.endswith('eed'):
        if _m(w[:-3]) > 0:
            w = w[:-1]
    else:
        for suf in ('ed', 'ing'):
            if w.endswith(suf) and _vowel(w[:-len(suf)]):
                w = w[:-len(suf)]
                if w.endswith(('at', 'bl', 'iz')):
                    w += 'e'
                elif _dbl(w) and w[-1] not in 'lsz':
                    w = w[:-1]
                elif _m(w) == 1 and _cvc(w):
                    w += 'e'
                break
    if w.endswith('y') and _vowel(w[:-1]):
        w = w[:-1] + 'i'
    w = _rep(w, S2, 0)
    w = _rep(w, S3, 0)
    for suf in sorted(S4, key=len, reverse=True):
        if w.endswith(suf):
            st = w[:-len(suf)]
            if _m(st) > 1 and (suf != 'ion' or st.endswith(('s', 't'))):
                w = st
            break
    if w.endswith('e'):
        st = w[:-1]
        if _m(st) > 1 or (_m(st) == 1 and not _cvc(st)):
            w = st
    if _m(w) > 1 and _dbl(w) and w.endswith('l'):
        w = w[:-1]
    _cache[o] = w
    return w


URL = re.compile(r'http[s]?://(?:[a-zA-Z]|[0-9]|[$-_@.&+]|[!*\(\),]|(?:%[0-9a-fA-F][0-9a-fA-F]))+')
MEN = re.compile(r'@[\w\-]+')

def dpre(t):
    return MEN.sub('', URL.sub('', re.sub(r'\s+', ' ', t)))

STOP = set(stem(w) for w in ENGLISH_STOP_WORDS) | set(ENGLISH_STOP_WORDS) | {'rt', 'ff'}

def dtok(t):
    return [s for s in (stem(w) for w in re.findall(r'[a-z]+', t.lower())) if s not in STOP]

def davvec(l2):
    return TfidfVectorizer(tokenizer=dtok, preprocessor=dpre, token_pattern=None, lowercase=False,
                           ngram_range=(1, 3), min_df=5, max_df=0.75, max_features=10000,
                           smooth_idf=False, sublinear_tf=l2, norm='l2' if l2 else None)


# (name, blocks, L1 C or None, final model: 'mn' multinomial lbfgs / 'ovr' liblinear, final C)
SETTINGS = [
    ('V: word1-2+char_wb2-5+lex (Vigil-like)', ('vw', 'vc', 'lex'), None, 'mn', 1),
    ('V + L1 0.01', ('vw', 'vc', 'lex'), 0.01, 'mn', 1),
    ('V + L1 0.03', ('vw', 'vc', 'lex'), 0.03, 'mn', 1),
    ('V + L1 0.1', ('vw', 'vc', 'lex'), 0.1, 'mn', 1),
    ('V + L1 0.3', ('vw', 'vc', 'lex'), 0.3, 'mn', 1),
    ('V + L1 1', ('vw', 'vc', 'lex'), 1, 'mn', 1),
    ('D: dav (no norm)+lex, OvR liblinear', ('dav', 'lex'), None, 'ovr', 1),
    ('D + L1 0.01 (Davidson-like)', ('dav', 'lex'), 0.01, 'ovr', 1),
    ('D + L1 0.03', ('dav', 'lex'), 0.03, 'ovr', 1),
    ('D + L1 0.1', ('dav', 'lex'), 0.1, 'ovr', 1),
    ('D + tweet counts + L1 0.01', ('dav', 'tw', 'lex'), 0.01, 'ovr', 1),
    ('V+D2: word1-2+char_wb+dav2+lex', ('vw', 'vc', 'dav2', 'lex'), None, 'mn', 1),
    ('V+D2 + L1 0.1', ('vw', 'vc', 'dav2', 'lex'), 0.1, 'mn', 1),
    ('V+D2 + L1 0.3', ('vw', 'vc', 'dav2', 'lex'), 0.3, 'mn', 1),
    ('D2+char_wb+lex (dav2 instead of word1-2)', ('dav2', 'vc', 'lex'), None, 'mn', 1),
    ('D2+char_wb+lex + L1 0.1', ('dav2', 'vc', 'lex'), 0.1, 'mn', 1),
    # round 2: selection with more columns (l2-normalised blocks need a larger L1 C), and the
    # final model's C, to tell selection apart from plain stronger regularisation
    ('V + L1 3', ('vw', 'vc', 'lex'), 3, 'mn', 1),
    ('V + L1 10', ('vw', 'vc', 'lex'), 10, 'mn', 1),
    ('V + L1 30', ('vw', 'vc', 'lex'), 30, 'mn', 1),
    ('V + L1 3, final C 0.3', ('vw', 'vc', 'lex'), 3, 'mn', 0.3),
    ('V+D2 + L1 1', ('vw', 'vc', 'dav2', 'lex'), 1, 'mn', 1),
    ('V+D2 + L1 3', ('vw', 'vc', 'dav2', 'lex'), 3, 'mn', 1),
    ('V+D2 + L1 10', ('vw', 'vc', 'dav2', 'lex'), 10, 'mn', 1),
    ('V+D2, final C 0.3', ('vw', 'vc', 'dav2', 'lex'), None, 'mn', 0.3),
    ('D, final C 0.01', ('dav', 'lex'), None, 'ovr', 0.01),
    ('D, final C 0.03', ('dav', 'lex'), None, 'ovr', 0.03),
    ('D + L1 0.005', ('dav', 'lex'), 0.005, 'ovr', 1),
    ('D + L1 0.01, final C 0.1', ('dav', 'lex'), 0.01, 'ovr', 0.1),
    ('D + L1 0.01, final multinomial C 1', ('dav', 'lex'), 0.01, 'mn', 1),
]


def main():
    path = sys.argv[1]
    folds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    only = sys.argv[4].split(',') if len(sys.argv) > 4 else None
    sets = [s for i, s in enumerate(SETTINGS) if only is None or str(i) in only]
    X, y = proto.read(path)
    labs = sorted(set(y)); yi = np.array([labs.index(v) for v in y]); K = len(labs)
    h = labs.index('hate') if 'hate' in labs else 0
    oof = {s[0]: np.zeros((len(y), K)) for s in sets}
    nsel = {s[0]: [] for s in sets}
    secs = {s[0]: 0.0 for s in sets}
    skf = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for f, (tr, te) in enumerate(skf.split(X, yi)):
        Xtr = [X[i] for i in tr]; Xte = [X[i] for i in te]
        need = set(b for s in sets for b in s[1])
        blk = {}
        w, c = proto.feats({})
        mk = {'vw': lambda: w, 'vc': lambda: c, 'dav': lambda: davvec(False), 'dav2': lambda: davvec(True)}
        for b in need:
            if b in mk:
                v = mk[b](); blk[b] = (v.fit_transform(Xtr), v.transform(Xte))
            elif b == 'lex':
                blk[b] = (proto.lexfeat(Xtr), proto.lexfeat(Xte))
            elif b == 'tw':
                blk[b] = (proto.twfeat(Xtr), proto.twfeat(Xte))
        for name, bl, l1, kind, C in sets:
            t = time.time()
            A = sp.hstack([blk[b][0] for b in bl]).tocsr(); B = sp.hstack([blk[b][1] for b in bl]).tocsr()
            if l1 is not None:
                sel = SelectFromModel(LogisticRegression(penalty='l1', C=l1, class_weight='balanced',
                                                         solver='liblinear')).fit(A, yi[tr])
                A = sel.transform(A); B = sel.transform(B); nsel[name].append(A.shape[1])
            else:
                nsel[name].append(A.shape[1])
            if kind == 'ovr':
                m = LogisticRegression(C=C, class_weight='balanced', solver='liblinear').fit(A, yi[tr])
            else:
                m = LogisticRegression(C=C, class_weight='balanced', max_iter=1000).fit(A, yi[tr])
            oof[name][te] = proto.logits(m, B)
            secs[name] += time.time() - t
            print(f'fold {f} {name}: {A.shape[1]} cols, {time.time()-t:.1f}s', file=sys.stderr, flush=True)
    print(f'{os.path.basename(path)}, {folds}-fold, seed {seed}; hate = {labs[h]}')
    print('| setting | columns | macro-F1 plain | hate P / R / F1 plain | macro-F1 offsets | hate P / R / F1 offsets | s |')
    print('|---|---|---|---|---|---|---|')
    for name, *_ in sets:
        z = oof[name]
        pp = np.argmax(z, 1)
        o, s = proto.best_thr(z, yi, K)
        po = np.argmax(z + o, 1)
        P, R, F, _ = precision_recall_fscore_support(yi, pp, labels=[h], zero_division=0)
        P2, R2, F2, _ = precision_recall_fscore_support(yi, po, labels=[h], zero_division=0)
        print(f'| {name} | {int(np.mean(nsel[name]))} | {f1_score(yi, pp, average="macro"):.4f} | '
              f'{P[0]:.3f} / {R[0]:.3f} / {F[0]:.3f} | {s:.4f} | {P2[0]:.3f} / {R2[0]:.3f} / {F2[0]:.3f} | {secs[name]:.0f} |',
              flush=True)


if __name__ == '__main__':
    main()
