package lexicon

import (
	"bytes"
	_ "embed"
)

//go:embed starter.csv
var starterCSV []byte

// Starter returns the starter lexicon: Davidson et al. (2017)'s refined
// hateful n-grams (English, severity from the share of hateful tweets
// containing them) and Ousidhoum et al. (2019)'s MLMA search keywords
// (English, French, Arabic; low severity, since many are topics). Both MIT;
// see ATTRIBUTION. A mission edits or replaces it.
func Starter() []Entry {
	e, err := ReadCSV(bytes.NewReader(starterCSV), "starter.csv")
	if err != nil {
		panic(err) // the embedded file is checked by TestStarter
	}
	return e
}
