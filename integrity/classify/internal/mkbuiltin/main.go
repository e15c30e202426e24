// Command mkbuiltin trains the classifier's built-in harmful/normal model
// from the four labelled files of ../shared/data/mdmh and writes
// integrity/classify/builtin.model:
//
//	go run ./integrity/classify/internal/mkbuiltin -data ../shared/data/mdmh -out integrity/classify/builtin.model
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/vigil-project/vigil/integrity/classify"
	"github.com/vigil-project/vigil/integrity/textcsv"
)

// harmful maps each data set's labels onto the unified head.
var harmful = map[string]string{
	"hate": "harmful", "offensive": "harmful", "neither": "normal", // Davidson et al. 2017
	"toxic": "harmful", "normal": "normal", // Ousidhoum et al. 2019 (MLMA)
}

func main() {
	data := flag.String("data", "../shared/data/mdmh", "directory of the shared mdmh files")
	out := flag.String("out", "integrity/classify/builtin.model", "model file to write")
	c := flag.Float64("c", 1, "inverse regularisation strength")
	minDF := flag.Int("min-df", 2, "drop features seen in fewer documents (keeps the model small)")
	flag.Parse()
	var ex []classify.Example
	for _, f := range []string{"davidson2017_train.csv", "mlma2019_fr_train.csv", "mlma2019_en_train.csv", "mlma2019_ar_train.csv"} {
		p := filepath.Join(*data, f)
		fh, err := os.Open(p)
		if err != nil {
			log.Fatal(err)
		}
		rd, err := textcsv.NewReader(bufio.NewReader(fh), p, "text", "label")
		if err != nil {
			log.Fatal(err)
		}
		for {
			row, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				log.Fatal(err)
			}
			l, ok := harmful[row.Fields[1]]
			if !ok {
				log.Fatalf("%s:%d: unknown label %q", p, row.Line, row.Fields[1])
			}
			ex = append(ex, classify.Example{Text: row.Fields[0], Label: l})
		}
		fh.Close()
	}
	m, err := classify.Train(ex, classify.Options{C: *c, MinDF: *minDF})
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
	fmt.Printf("trained on %d examples, %d features, C=%g: wrote %s (%d bytes)\n", len(ex), len(m.Feat), *c, *out, st.Size())
}
