package lexicon

import (
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestRefusalMessages: every refusal of a lexicon file carries its whole
// text as a catalog message (Refusals, placed at the file and line by
// apperr's position messages): English as the error always read, French
// with the file, line and column in words; every message is said by one.
func TestRefusalMessages(t *testing.T) {
	cases := []struct{ name, in, fr string }{
		{"empty", "", "fichier f.csv, ligne 1\u00a0: fichier vide\u00a0: un en-tête avec term,variants,language,meaning,group,severity,source,meaning_code,meaning_pct est attendu"},
		{"no term column", "word\nx\n", "fichier f.csv, ligne 1\u00a0: colonne «\u202fterm\u202f» manquante"},
		{"ragged", "term,severity\nx\n", "fichier f.csv, ligne 2\u00a0: nombre de champs incorrect\u00a0: 1, l’en-tête en a 2"},
		{"empty term", "term,severity\n,2\n", "fichier f.csv, ligne 2, colonne term\u00a0: vide"},
		{"punctuation", "term\n!!!\n", "fichier f.csv, ligne 2, colonne term\u00a0: «\u202f!!!\u202f» n’a ni lettre ni chiffre"},
		{"language", "term,language\nx,french\n", ""},
		{"severity range", "term,severity\nx,4\n", "fichier f.csv, ligne 2, colonne severity\u00a0: 4 hors de l’intervalle 1–3"},
		{"severity word", "term,severity\nx,severe\n", ""},
		{"pct", "term,meaning_code,meaning_pct\nx,ngram,forty\n", ""},
		{"pct range", "term,meaning_code,meaning_pct\nx,ngram,140\n", "fichier f.csv, ligne 2, colonne meaning_pct\u00a0: 140 n’est pas un pourcentage 0–100"},
		{"pct without code", "term,meaning_pct\nx,40\n", ""},
		{"code", "term,meaning_code\nx,slur\n", ""},
		{"repeat", "term\nCafé\ncafe\n", "fichier f.csv, ligne 3, colonne term\u00a0: «\u202fcafe\u202f» répète la ligne 2"},
		{"bad quote", "term\n\"x\n", ""},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		_, err := ReadCSV(strings.NewReader(c.in), "f.csv")
		for _, k := range apperrtest.Said(t, c.name, err, c.fr) {
			reached[k] = true
		}
	}
	apperrtest.Catalog(t, Refusals, reached)
}
