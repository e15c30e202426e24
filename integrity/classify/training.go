package classify

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vigil-project/vigil/integrity/langid"
	"github.com/vigil-project/vigil/integrity/textcsv"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TrainingFiles are the labelled files the built-in model is trained on
// (../shared/data/mdmh): Davidson et al. 2017 (English) and Ousidhoum et
// al. 2019 (MLMA: French, English, Arabic).
var TrainingFiles = []string{"davidson2017_train.csv", "mlma2019_fr_train.csv", "mlma2019_en_train.csv", "mlma2019_ar_train.csv"}

// TrainingLanguages are the languages of TrainingFiles.
var TrainingLanguages = []string{"ar", "en", "fr"}

// TrainingLabels maps each data set's labels onto the built-in model's
// head, "harmful" against "normal".
var TrainingLabels = map[string]string{
	"hate": "harmful", "offensive": "harmful", "neither": "normal", // Davidson et al. 2017
	"toxic": "harmful", "normal": "normal", // Ousidhoum et al. 2019 (MLMA)
}

// ErrNoTrainingData says the directory does not hold TrainingFiles.
var ErrNoTrainingData = func() error {
	_ = Refusals // registered first
	return apperr.MustMsg("classify.refusal.no-training").Err()
}()

// Refusals are the training files' refusals as catalog messages (the
// English fmt format and its French), so that the Integrity page says a
// retraining that failed on them in its language: a missing file, a label
// the built-in model does not map (TrainingLabels), placed at the file's
// line and column; the files' CSV is read by textcsv (its Refusals).
var Refusals = apperr.Register(apperr.Catalog{
	"classify.refusal.no-training": {"the built-in model's training files are not there", "les fichiers d’entraînement du modèle intégré ne sont pas sur ce serveur"},
	"classify.refusal.label":       {"unknown label %q (want %s)", "étiquette inconnue {0} (attendu {1})"},
})

// ReadTraining reads the built-in model's training examples (TrainingFiles
// in dir, labels mapped by TrainingLabels), followed by the benign
// background paragraphs (Group BackgroundGroup, label "normal"). Errors name the file and line;
// a missing file is ErrNoTrainingData.
func ReadTraining(dir string) ([]Example, error) {
	var ex []Example
	for _, f := range TrainingFiles {
		p := filepath.Join(dir, f)
		fh, err := os.Open(p)
		if errors.Is(err, os.ErrNotExist) {
			// "p: the built-in model's …", unavailable (503), still
			// ErrNoTrainingData for errors.Is.
			e := apperr.FieldErr(apperr.KindUnavailable, "", ErrNoTrainingData)
			e.Err = ErrNoTrainingData
			return nil, apperr.AtLine(p, 0, e)
		}
		if err != nil {
			return nil, err
		}
		ex, err = readTrainingFile(fh, p, ex)
		fh.Close()
		if err != nil {
			return nil, err
		}
	}
	// benign text in each language, in a group of its own (so the posts'
	// balanced class weights stay as they were; each paragraph counts
	// once): the posts of the four files were all collected by searching
	// for slurs and group names, so even their "normal" posts are about
	// groups, and 80 % of the French ones are toxic; without ordinary text
	// the model flagged French article 1 of the Universal Declaration of
	// Human Rights (0.55) and 10 of the 21 held-out French paragraphs
	for _, lang := range backgroundLanguages {
		for _, t := range langid.TrainingTexts(lang) {
			ex = append(ex, Example{Text: t, Label: "normal", Group: BackgroundGroup})
		}
	}
	return ex, nil
}

// backgroundLanguages are the ISO 639-3 codes of TrainingLanguages.
var backgroundLanguages = []string{"arb", "eng", "fra"}

// BackgroundGroup is the Group of the benign background examples
// ReadTraining adds: the Universal Declaration of Human Rights, articles
// 0–20, in Arabic, English and French (the language identifier's embedded
// training text; articles 21–30 stay unseen, for tests).
const BackgroundGroup = "udhr"

// labelList is TrainingLabels' keys, sorted, as a refusal lists them.
func labelList() string {
	ls := make([]string, 0, len(TrainingLabels))
	for l := range TrainingLabels {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	return strings.Join(ls, ", ")
}

func readTrainingFile(r io.Reader, name string, ex []Example) ([]Example, error) {
	rd, err := textcsv.NewReader(bufio.NewReader(r), name, "text", "label")
	if err != nil {
		return nil, err
	}
	for {
		row, err := rd.Next()
		if err == io.EOF {
			return ex, nil
		}
		if err != nil {
			return nil, err
		}
		l, ok := TrainingLabels[row.Fields[1]]
		if !ok {
			return nil, apperr.AtLine(name, row.Line, apperr.Fieldf(apperr.KindInvalid, "label", "unknown label %q (want %s)", row.Fields[1], labelList()))
		}
		ex = append(ex, Example{Text: row.Fields[0], Label: l})
	}
}
