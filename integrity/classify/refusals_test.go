package classify

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestTrainingRefusals: ReadTraining refuses a directory without the
// training files (unavailable, still ErrNoTrainingData) and a label the
// built-in model does not map (invalid input at the file's line, column
// label), each said by its catalog message in French; every message of
// Refusals is said.
func TestTrainingRefusals(t *testing.T) {
	dir := t.TempDir()
	_, missing := ReadTraining(dir)
	for _, f := range TrainingFiles {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("text,label\nhello,neither\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	bad := filepath.Join(dir, TrainingFiles[1])
	if err := os.WriteFile(bad, []byte("text,label\nbonjour,normal\n\"ligne\ndeux\",haineux\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, label := ReadTraining(dir)
	first := filepath.Join(dir, TrainingFiles[0])
	reached := map[string]bool{}
	for _, c := range []struct {
		name   string
		err    error
		kind   apperr.Kind
		line   int
		field  string
		en, fr string
	}{
		{"no files", missing, apperr.KindUnavailable, 0, "", first + ": the built-in model's training files are not there",
			"fichier " + first + "\u00a0: les fichiers d’entraînement du modèle intégré ne sont pas sur ce serveur"},
		{"label", label, apperr.KindInvalid, 3, "label", bad + `:3: label: unknown label "haineux" (want hate, neither, normal, offensive, toxic)`,
			"fichier " + bad + ", ligne 3, colonne label\u00a0: étiquette inconnue «\u202fhaineux\u202f» (attendu hate, neither, normal, offensive, toxic)"},
	} {
		e := apperr.As(c.err)
		if c.err == nil || c.err.Error() != c.en || e == nil || e.Kind != c.kind || e.Line != c.line || e.Field != c.field {
			t.Errorf("%s: %v (%+v), want %v %q at line %d, field %q", c.name, c.err, e, c.kind, c.en, c.line, c.field)
		}
		for _, k := range apperrtest.Said(t, c.name, c.err, c.fr) {
			reached[k] = true
		}
	}
	if !errors.Is(missing, ErrNoTrainingData) {
		t.Errorf("no files: %v is not ErrNoTrainingData", missing)
	}
	apperrtest.Catalog(t, Refusals, reached)
}
