package classify

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
var ErrNoTrainingData = errors.New("the built-in model's training files are not there")

// ReadTraining reads the built-in model's training examples (TrainingFiles
// in dir, labels mapped by TrainingLabels). Errors name the file and line;
// a missing file is ErrNoTrainingData.
func ReadTraining(dir string) ([]Example, error) {
	var ex []Example
	for _, f := range TrainingFiles {
		p := filepath.Join(dir, f)
		fh, err := os.Open(p)
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", p, ErrNoTrainingData)
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
	return ex, nil
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
			return nil, apperr.At(name, row.Line, "", fmt.Sprintf("unknown label %q", row.Fields[1]))
		}
		ex = append(ex, Example{Text: row.Fields[0], Label: l})
	}
}
