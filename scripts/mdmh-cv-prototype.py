#!/usr/bin/python3
"""Cross-validation prototype for the harmful-speech classifier (issue 13,
docs/benchmarks/integrity.md, "Session 10 run").

Scores feature and model variants by stratified 3-fold cross-validation INSIDE
a training file (the *.train.csv of `vigil mdmh split`), never a test split:
macro-F1 plain and after per-class logit offsets fitted to the out-of-fold
scores (Vigil's rule: one class at a time, step 0.05 in [-3, 3]), and per-class
F1. Needs scikit-learn (Debian's python3-sklearn, /usr/bin/python3).

  /usr/bin/python3 scripts/mdmh-cv-prototype.py davidson2017.train.csv \
      '{"mc": "ovr", "Cs": [1], "seeds": [1], "lex": 1}'

Options (JSON): Cs (C grid), seeds (fold shuffles), mc ("ovr" for
one-vs-rest), an ("char_wb" or "char"), sub (sublinear tf, default true), wn
(largest word n), mindf, norm (text normalisation), nb (NB-weighted LR), lex
(lexicon-hit features of the starter lexicon's harmful terms, scaled by the
value), lexmode (full, nosev, any, bins, uni), tw (tweet counts).
"""
import os, sys, csv, re, html, time, numpy as np, scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer, CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
csv.field_size_limit(1<<30)
def read(p):
    X,y=[],[]
    for r in csv.DictReader(open(p,encoding='utf-8')):
        X.append(r['text']); y.append(r['label'])
    return X,np.array(y)
URL=re.compile(r'(https?://\S+|www\.\S+)',re.I); MEN=re.compile(r'@\w+'); REP=re.compile(r'(\w)\1{2,}')
def norm(t):
    t=html.unescape(t); t=URL.sub(' _url_ ',t); t=MEN.sub(' _mention_ ',t)
    t=re.sub(r'^\s*rt\b',' ',t,flags=re.I); t=REP.sub(r'\1\1',t)
    return t
def feats(cfg):
    pre = norm if cfg.get('norm') else None
    w=TfidfVectorizer(ngram_range=(1,cfg.get('wn',2)),sublinear_tf=cfg.get('sub',True),min_df=cfg.get('mindf',1),preprocessor=(lambda s: pre(s).lower()) if pre else None)
    c=TfidfVectorizer(analyzer=cfg.get('an','char_wb'),ngram_range=(2,5),sublinear_tf=cfg.get('sub',True),min_df=cfg.get('mindf',1),preprocessor=(lambda s: pre(s).lower()) if pre else None)
    return w,c
def best_thr(z,y,K):
    # z: n x K logits; search offsets like Vigil (coord search)
    off=np.zeros(K)
    def sc(o): return f1_score(y,np.argmax(z+o,1),average='macro')
    best=sc(off)
    for rnd in range(3):
        moved=False
        for k in range(1,K):
            keep=off[k]; bv,bs=keep,best
            for v in np.arange(-60,61)*0.05:
                off[k]=v; s=sc(off)
                if s>bs+1e-12 or (s>bs-1e-12 and abs(v)<abs(bv)): bv,bs=v,s
            off[k]=bv; moved|= bv!=keep; best=bs
        if not moved: break
    return off,best
def logits(m,X):
    z=m.decision_function(X)
    if z.ndim==1: z=np.stack([np.zeros_like(z),z],1)
    return z
def nbratio(X,yb,a=1.0):
    Xb=(X>0).astype(np.float64)
    p=np.asarray(Xb[yb==1].sum(0)).ravel()+a; q=np.asarray(Xb[yb==0].sum(0)).ravel()+a
    return np.log((p/p.sum())/(q/q.sum()))
LEX=None
LEXMODE='full'
def lexfeat(X):
    global LEX
    if LEX is None:
        import csv as c2
        LEX=[]
        for r in c2.DictReader(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'integrity', 'lexicon', 'starter.csv'),encoding='utf-8')):
            if r['meaning_code']!='keyword' and (LEXMODE!='uni' or ' ' not in r['term'].strip()): LEX.append((re.compile(r'\b'+re.escape(r['term'].lower())+r'\b'),int(r['severity'])))
    rows=[]
    for t in X:
        t=t.lower(); n=sum(1 for p,s in LEX if p.search(t)); sv=max([s for p,s in LEX if p.search(t)] or [0])
        if LEXMODE=='nosev': rows.append([min(n,3)/3, 1.0 if n else 0.0])
        elif LEXMODE=='any': rows.append([1.0 if n else 0.0])
        elif LEXMODE=='bins':
            ss=[s for p,s in LEX if p.search(t)]
            rows.append([min(ss.count(1),2)/2,min(ss.count(2),2)/2,min(ss.count(3),2)/2,1.0 if n else 0.0])
        elif LEXMODE=='log':
            rows.append([np.log1p(n)/np.log(4), sv/3, 1.0 if n else 0.0])
        else: rows.append([min(n,3)/3, sv/3, 1.0 if n else 0.0])
    return sp.csr_matrix(np.array(rows))
def twfeat(X):
    rows=[]
    for t in X:
        rows.append([min(t.count('#'),3)/3, min(len(re.findall(r'@\w+',t)),3)/3, min(len(URL.findall(t)),2)/2, 1.0 if re.match(r'\s*!*\s*RT\b',t) else 0.0, min(t.count('!'),5)/5, sum(c.isupper() for c in t)/max(1,sum(c.isalpha() for c in t))])
    return sp.csr_matrix(np.array(rows))
def run(path,cfg,Cs=(0.3,1,4),seeds=(1,2)):
    X,y=read(path); labs=sorted(set(y)); yi=np.array([labs.index(v) for v in y]); K=len(labs)
    res={}
    for seed in seeds:
        skf=StratifiedKFold(3,shuffle=True,random_state=seed)
        oof={C:np.zeros((len(y),K)) for C in Cs}
        for tr,te in skf.split(X,yi):
            Xtr=[X[i] for i in tr]; Xte=[X[i] for i in te]
            mats=[]
            w,c=feats(cfg)
            blocks_tr=[];blocks_te=[]
            if cfg.get('word',True): blocks_tr.append(w.fit_transform(Xtr)); blocks_te.append(w.transform(Xte))
            if cfg.get('char',True): blocks_tr.append(c.fit_transform(Xtr)); blocks_te.append(c.transform(Xte))
            if cfg.get('tw'):
                blocks_tr.append(twfeat(Xtr)); blocks_te.append(twfeat(Xte))
            if cfg.get('lex'):
                blocks_tr.append(cfg['lex']*lexfeat(Xtr)); blocks_te.append(cfg['lex']*lexfeat(Xte))
            A=sp.hstack(blocks_tr).tocsr(); B=sp.hstack(blocks_te).tocsr()
            for C in Cs:
                if cfg.get('nb'):
                    z=np.zeros((len(te),K))
                    for k in range(K if K>2 else 1):
                        kk=k if K>2 else 1
                        yb=(yi[tr]==kk).astype(int)
                        r=nbratio(A,yb)
                        m=LogisticRegression(C=C,class_weight='balanced',max_iter=1000).fit(A.multiply(r).tocsr(),yb)
                        zz=m.decision_function(B.multiply(r).tocsr())
                        if K>2: z[:,k]=zz
                        else: z[:,1]=zz
                else:
                    m=LogisticRegression(C=C,class_weight='balanced',max_iter=1000,multi_class=cfg.get('mc','auto')).fit(A,yi[tr])
                    z=logits(m,B)
                oof[C][te]=z
        for C in Cs:
            plain=f1_score(yi,np.argmax(oof[C],1),average='macro')
            o,s=best_thr(oof[C],yi,K)
            res.setdefault(C,[]).append((plain,s,f1_score(yi,np.argmax(oof[C]+o,1),average=None)))
    return res,labs
if __name__=='__main__':
    import json
    path=sys.argv[1]; cfg=json.loads(sys.argv[2]); LEXMODE=cfg.get('lexmode','full')
    t=time.time()
    res,labs=run(path,cfg,seeds=tuple(cfg.get('seeds',[1,2])),Cs=tuple(cfg.get('Cs',[0.3,1,4])))
    for C,v in res.items():
        pl=[a for a,b,c in v]; of=[b for a,b,c in v]
        print(f"{path.split('/')[-1]:24s} {json.dumps(cfg):60s} C={C:<4} plain {np.mean(pl):.4f} off {np.mean(of):.4f} per-seed {' '.join('%.4f'%x for x in of)} cls {np.round(np.mean([c for a,b,c in v],0),3)}")
    print('time',round(time.time()-t,1),file=sys.stderr)
