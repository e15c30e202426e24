#!/usr/bin/python3
"""Session 12 trial for the built-in model's French over-flagging (issue 13,
docs/benchmarks/integrity.md, "Built-in model"): the built-in harmful/normal model flags about a
sixth of Vigil's own benign French interface strings, because 80 % of the French training posts
are toxic. Does a per-language prior, learnt apart from the words and removed at prediction,
help? A prototype of the built-in model in scikit-learn (word 1-2 + char_wb 2-5 sublinear tf-idf,
min-df 2, lexicon hits, LR C = 1, posts balanced, UDHR background as ReadTraining adds it),
trained on the four *.train.csv splits of `vigil mdmh split`, with optional language columns
(one per en / fr / ar, value SCALE so that their weights are nearly unpenalised); at prediction
the columns are set to English's ("en") or to the training mix ("av"). Measured: interface
strings of >= 20 bytes flagged, held-out UDHR paragraphs flagged, and the binary macro-F1 on
each *.test.csv split (harmful = hate, offensive, toxic).

  /usr/bin/python3 scripts/mdmh-langprior-trial.py DIR base,100en,100av
(DIR holds the four files' *.train.csv and *.test.csv.)
"""
import sys, os, csv, gzip, json, glob, importlib.util
import numpy as np, scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
S=os.path.dirname(os.path.abspath(__file__)); ROOT=os.path.join(S, '..')
spec=importlib.util.spec_from_file_location('proto',S+'/mdmh-cv-prototype.py'); proto=importlib.util.module_from_spec(spec); spec.loader.exec_module(proto)
from sklearn.feature_extraction.text import TfidfVectorizer
E=sys.argv[1]
files=[('davidson2017','en'),('mlma2019_en','en'),('mlma2019_fr','fr'),('mlma2019_ar','ar')]
HARM={'hate','offensive','toxic'}
def rd(p):
    X,y=proto.read(p); return X,[1 if v in HARM else 0 for v in y]
Xtr,ytr,gtr,ltr=[],[],[],[]
for f,l in files:
    X,y=rd(f'{E}/{f}.train.csv'); Xtr+=X; ytr+=y; gtr+=['post']*len(X); ltr+=[l]*len(X)
L3={'arb':'ar','eng':'en','fra':'fr'}
for line in gzip.open(os.path.join(ROOT,'integrity/langid/udhr_train.tsv.gz'),'rt',encoding='utf-8'):
    p=line.rstrip('\n').split('\t',2)
    if p[0] in L3: Xtr.append(p[2]); ytr.append(0); gtr.append('bg'); ltr.append(L3[p[0]])
ytr=np.array(ytr)
# weights like sampleWeights
post=np.array([g=='post' for g in gtr]); sw=np.zeros(len(ytr))
n=post.sum(); 
for c in (0,1):
    m=post&(ytr==c); sw[m]=n/(2*m.sum())
sw[~post]=min(1,0.1*n/(~post).sum())
ui={}
for l in ['en','fr']:
    ui[l]=[v for f in glob.glob(os.path.join(ROOT,'web/ui/i18n/*.'+l+'.json')) for v in json.load(open(f)).values() if len(v.encode())>=20]
heldout=[(p[0],p[2]) for p in (line.rstrip('\n').split('\t',2) for line in open(os.path.join(ROOT,'integrity/langid/testdata/udhr_heldout.tsv'),encoding='utf-8')) if len(p)==3 and p[0] in L3]
w=TfidfVectorizer(ngram_range=(1,2),sublinear_tf=True,min_df=2); c=TfidfVectorizer(analyzer='char_wb',ngram_range=(2,5),sublinear_tf=True,min_df=2)
A=sp.hstack([w.fit_transform(Xtr),c.fit_transform(Xtr),proto.lexfeat(Xtr)]).tocsr()
def vec(X): return sp.hstack([w.transform(X),c.transform(X),proto.lexfeat(X)]).tocsr()
LANGS=['en','fr','ar']
def langcols(ls,scale): return sp.csr_matrix(np.array([[scale if l==k else 0.0 for k in LANGS] for l in ls]))
tests={f:rd(f'{E}/{f}.test.csv') for f,_ in files}
TV={f:vec(X) for f,(X,y) in tests.items()}
UV={l:vec(v) for l,v in ui.items()}; HV=vec([t for _,t in heldout])
for mode in sys.argv[2].split(','):
    inf=mode[-2:] if mode[-2:] in ('en','av') else ''
    scale=float(mode[:len(mode)-len(inf)]) if mode!='base' else 0
    A2=A if not scale else sp.hstack([A,langcols(ltr,scale)]).tocsr()
    m=LogisticRegression(C=1,max_iter=2000).fit(A2,ytr,sample_weight=sw)
    def pr(V):
        if scale:
            row=[0,0,0]
            if inf=='en': row=[scale,0,0]
            if inf=='av': row=[scale*ltr.count(k)/len(ltr) for k in LANGS]
            V=sp.hstack([V,sp.csr_matrix(np.tile(row,(V.shape[0],1)))]).tocsr()
        return m.decision_function(V)
    out=[mode]
    if scale: out.append('langw '+' '.join(f'{k}={m.coef_[0][-3+i]*scale:.2f}' for i,k in enumerate(LANGS)))
    for l in ['en','fr']: out.append(f'ui_{l} {(pr(UV[l])>0).sum()}/{len(ui[l])}')
    out.append(f'udhr_heldout {(pr(HV)>0).sum()}/{len(heldout)}')
    for f,(X,y) in tests.items():
        out.append(f'{f} mF1 {f1_score(y,(pr(TV[f])>0).astype(int),average="macro"):.4f}')
    print(' | '.join(out),flush=True)
