#!/usr/bin/python3
"""Session 12 trial for the Davidson hate class (issue 13, docs/benchmarks/integrity.md,
"Session 12"): do features a linear model cannot build from n-grams alone -- mentions of a
group named by the starter lexicon's English MLMA search keywords (count, any) and their
product with "a harmful term of the lexicon matched"; a second-person word ("you", "u",
"ur" ...) or a plural/third-person word ("they", "them", "all" ...) and their products with a
lexicon hit -- lift the out-of-fold hate F1 of the Vigil-like design (word 1-2 + char_wb 2-5
sublinear tf-idf + lexicon hits, multinomial LR C = 1, balanced) above its ~0.50?
Stratified k-fold INSIDE a training file (the *.train.csv of `vigil mdmh split`), never a
test split; macro-F1 after Vigil's offsets, hate P / R / F1 with those offsets.

  /usr/bin/python3 scripts/mdmh-group-trial.py davidson2017.train.csv 5 1 V,g,y,gy
"""
import sys, os, re, csv, time, importlib.util
import numpy as np, scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support, f1_score
from sklearn.model_selection import StratifiedKFold
S=os.path.dirname(os.path.abspath(__file__))
spec=importlib.util.spec_from_file_location('proto',S+'/mdmh-cv-prototype.py'); proto=importlib.util.module_from_spec(spec); spec.loader.exec_module(proto)
KW=[]; SL=[]
for r in csv.DictReader(open(os.path.join(S, '..', 'integrity', 'lexicon', 'starter.csv'),encoding='utf-8')):
    if r['language']!='en': continue
    p=re.compile(r'\b'+re.escape(r['term'].lower())+r'\b')
    (KW if r['meaning_code']=='keyword' else SL).append(p)
YOU=re.compile(r"\b(you|u|ya|yo|your|ur|youre|you're|yall|y'all)\b")
PL=re.compile(r"\b(they|them|their|these|those|all)\b")
def extra(X, mode):
    rows=[]
    for t in X:
        t=t.lower()
        s=sum(1 for p in SL if p.search(t)); g=sum(1 for p in KW if p.search(t))
        y=1.0 if YOU.search(t) else 0.0; pl=1.0 if PL.search(t) else 0.0
        sa=1.0 if s else 0.0; ga=1.0 if g else 0.0
        r=[]
        if 'g' in mode: r+= [min(g,3)/3, ga, sa*ga]
        if 'y' in mode: r+= [y, sa*y, pl, sa*pl]
        rows.append(r)
    return sp.csr_matrix(np.array(rows))
def main(path, folds, seed, modes):
    X,y=proto.read(path); labs=sorted(set(y)); yi=np.array([labs.index(v) for v in y]); K=len(labs); h=labs.index('hate')
    oof={m:np.zeros((len(y),K)) for m in modes}
    for f,(tr,te) in enumerate(StratifiedKFold(folds,shuffle=True,random_state=seed).split(X,yi)):
        Xtr=[X[i] for i in tr]; Xte=[X[i] for i in te]
        w,c=proto.feats({})
        A=sp.hstack([w.fit_transform(Xtr),c.fit_transform(Xtr),proto.lexfeat(Xtr)]).tocsr()
        B=sp.hstack([w.transform(Xte),c.transform(Xte),proto.lexfeat(Xte)]).tocsr()
        for m in modes:
            t=time.time()
            if m=='V': A2,B2=A,B
            else: A2=sp.hstack([A,extra(Xtr,m)]).tocsr(); B2=sp.hstack([B,extra(Xte,m)]).tocsr()
            lr=LogisticRegression(C=1,class_weight='balanced',max_iter=1000).fit(A2,yi[tr])
            oof[m][te]=proto.logits(lr,B2)
            print(f'fold {f} {m} {time.time()-t:.0f}s',flush=True)
    for m in modes:
        off,mf=proto.best_thr(oof[m],yi,K); pr=np.argmax(oof[m]+off,1)
        P,R,F,_=precision_recall_fscore_support(yi,pr,labels=[h])
        print(f'{m}: macro {mf:.4f} hate P {P[0]:.3f} R {R[0]:.3f} F1 {F[0]:.3f} off {off}',flush=True)
main(sys.argv[1],int(sys.argv[2]),int(sys.argv[3]),sys.argv[4].split(','))
