package ui

import (
	"os"
	"strings"
	"testing"
)

// TestRiskCellsNamedNotNumbered: a forecast cell with no named place within
// 100 km (at sea, in a desert) was listed and titled by its raw PRIO-GRID
// number (« Cellule 132931 : 12,3 % »), a name no reader knows; it is named
// by where it is (« Cellule à 4,75° N, 18,25° E : 12,3 % »), the number kept
// only as the small-print reference (risk.cellRef). And the explanation
// opened from the keyboard (the top-risk list) closes with Escape and gives
// the focus back to the button that opened it. A place found by the map's
// search offers its cell's explanation (« Expliquer le risque ici »).
func TestRiskCellsNamedNotNumbered(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		d := readDict(t, "risk."+lang+".json")
		for _, k := range []string{"risk.topItem", "risk.cellTitle", "risk.cellAt"} {
			s := d[k]
			if s == "" || strings.Contains(s, "{cell}") || !strings.Contains(s, "{lat}") || !strings.Contains(s, "{lon}") {
				t.Errorf("%s %s = %q: want the cell named by {lat} and {lon}, not by {cell}", lang, k, s)
			}
		}
		for _, h := range []string{"n", "s", "e", "w"} {
			if d["risk.hemi."+h] == "" {
				t.Errorf("%s: no risk.hemi.%s (a coordinate's hemisphere)", lang, h)
			}
		}
		if !strings.Contains(d["risk.deg"], "{v}") || !strings.Contains(d["risk.deg"], "{h}") {
			t.Errorf("%s risk.deg = %q: want {v} and {h}", lang, d["risk.deg"])
		}
	}
	// the place search's way into a cell's explanation (placeAction)
	for lang, want := range map[string]string{"en": "Explain the risk here", "fr": "Expliquer le risque ici"} {
		d := readDict(t, "risk."+lang+".json")
		if d["risk.explainHere"] != want || !strings.HasPrefix(d["risk.explainHereAt"], want) || !strings.Contains(d["risk.explainHereAt"], "{place}") {
			t.Errorf("%s risk.explainHere = %q, risk.explainHereAt = %q: want %q, and it then {place}", lang, d["risk.explainHere"], d["risk.explainHereAt"], want)
		}
	}
	if m, err := os.ReadFile("core/map.js"); err != nil || !strings.Contains(string(m), "def.placeAction") {
		t.Errorf("core/map.js offers no layer's placeAction on a found place (%v)", err)
	}
	if fr := readDict(t, "risk.fr.json"); fr["risk.hemi.w"] != "O" {
		t.Errorf("fr risk.hemi.w = %q: French writes O (ouest)", fr["risk.hemi.w"])
	}
	js, err := os.ReadFile("risk.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"t('risk.cellRef'", "'Escape'", "b.focus()"} {
		if !strings.Contains(string(js), want) {
			t.Errorf("risk.js lacks %s", want)
		}
	}
	if strings.Contains(string(js), "{ cell: p.cell, p:") {
		t.Error("risk.js still names a top-risk cell by its number")
	}
}
