// Command mkstarter builds integrity/lexicon/starter.csv from the two studies'
// published term lists in ../shared/data/mdmh (both MIT):
//
//	go run ./integrity/lexicon/internal/mkstarter -data ../shared/data/mdmh -out integrity/lexicon/starter.csv
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/integrity/fold"
	"github.com/vigil-project/vigil/integrity/lexicon"
)

func main() {
	data := flag.String("data", "../shared/data/mdmh", "directory of the shared mdmh files")
	out := flag.String("out", "integrity/lexicon/starter.csv", "CSV to write")
	flag.Parse()
	var entries []lexicon.Entry
	seen := map[string]bool{}
	add := func(e lexicon.Entry) {
		k := e.Language + "|" + strings.Join(strings.Fields(fold.String(e.Term)), " ")
		if seen[k] {
			return
		}
		seen[k] = true
		entries = append(entries, e)
	}
	// Davidson et al. (2017): n-grams with the proportion of hateful tweets
	// containing them (the file uses CR line ends).
	b, err := os.ReadFile(filepath.Join(*data, "davidson2017_refined_ngram_dict.csv"))
	if err != nil {
		log.Fatal(err)
	}
	b = bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range recs[1:] {
		p, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			log.Fatalf("davidson n-gram %q: %v", r[0], err)
		}
		sev := 1
		switch {
		case p >= 0.75:
			sev = 3
		case p >= 0.6:
			sev = 2
		}
		pct := int(math.RoundToEven(100 * p)) // as %.0f rounds
		meaning, _ := lexicon.GeneratedMeaning(lexicon.MeaningNgram, pct)
		add(lexicon.Entry{Term: r[0], Language: "en", Severity: sev, Meaning: meaning, MeaningCode: lexicon.MeaningNgram, MeaningPct: pct,
			Source: "Davidson et al. 2017, refined n-gram dictionary (MIT)"})
	}
	// Ousidhoum et al. (2019): the search keywords per language. Many are
	// topics (e.g. "refugees"), not insults: low severity, flagged for review.
	f, err := os.Open(filepath.Join(*data, "mlma2019_keywords.txt"))
	if err != nil {
		log.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	lang := ""
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch strings.ToLower(line) {
		case "english":
			lang = "en"
			continue
		case "french":
			lang = "fr"
			continue
		case "arabic":
			lang = "ar"
			continue
		}
		if lang == "" || line == "" || strings.Trim(line, "_") == "" {
			continue
		}
		meaning, _ := lexicon.GeneratedMeaning(lexicon.MeaningKeyword, 0)
		add(lexicon.Entry{Term: line, Language: lang, Severity: 1, Meaning: meaning, MeaningCode: lexicon.MeaningKeyword,
			Source: "Ousidhoum et al. 2019, MLMA search keywords (MIT)"})
	}
	var buf bytes.Buffer
	if err := lexicon.WriteCSV(&buf, entries); err != nil {
		log.Fatal(err)
	}
	// check it reads back
	if _, err := lexicon.ReadCSV(bytes.NewReader(buf.Bytes()), *out); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %d entries to %s\n", len(entries), *out)
}
