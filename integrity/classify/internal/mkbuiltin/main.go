// Command mkbuiltin trains the classifier's built-in harmful/normal model
// from the four labelled files of ../shared/data/mdmh and writes
// integrity/classify/builtin.model:
//
//	go run ./integrity/classify/internal/mkbuiltin -data ../shared/data/mdmh -out integrity/classify/builtin.model
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/vigil-project/vigil/integrity/classify"
	"github.com/vigil-project/vigil/integrity/lexicon"
)

func main() {
	data := flag.String("data", "../shared/data/mdmh", "directory of the shared mdmh files")
	out := flag.String("out", "integrity/classify/builtin.model", "model file to write")
	c := flag.Float64("c", 1, "inverse regularisation strength")
	minDF := flag.Int("min-df", 2, "drop features seen in fewer documents (keeps the model small)")
	lex := flag.Bool("lexicon", true, "add the lexicon-hit features of the starter lexicon's harmful terms (classify.HarmfulTerms)")
	cv := flag.Bool("cv", false, "choose C (among 0.3, 1, 4) and the class offset by 3-fold cross-validation on the training examples (macro-F1) instead of -c")
	flag.Parse()
	ex, err := classify.ReadTraining(*data)
	if err != nil {
		log.Fatal(err)
	}
	opt := classify.Options{C: *c, MinDF: *minDF, CV: *cv, Log: func(s string) { log.Print(s) }}
	if *lex {
		opt.Lexicon = classify.HarmfulTerms(lexicon.Starter())
	}
	m, err := classify.Train(ex, opt)
	if err != nil {
		log.Fatal(err)
	}
	fh, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Save(fh); err != nil {
		log.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		log.Fatal(err)
	}
	st, _ := os.Stat(*out)
	fmt.Printf("trained on %d examples, %d features, C=%g, offsets %v: wrote %s (%d bytes)\n", len(ex), len(m.Feat), m.C, m.Offset, *out, st.Size())
}
