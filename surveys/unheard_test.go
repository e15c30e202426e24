package surveys

import (
	"math"
	"strings"
	"testing"
)

// TestUnheardClusterSample compares the one-stage cluster sample of 15
// school districts (apiclus1) with the population of schools by county and
// school type: a cluster sample never hears most counties.
func TestUnheardClusterSample(t *testing.T) {
	pop, err := ReadPopulation(strings.NewReader(populationCSV(t, "cname", "stype")), "apipop by county and type")
	if err != nil {
		t.Fatal(err)
	}
	rows := apiRows(t, "apiclus1.csv")
	rep, err := Unheard(rows, "respondents", pop, "cname", UnheardRule{})
	if err != nil {
		t.Fatal(err)
	}
	// Independent count of the population by county.
	popCounty := map[string]float64{}
	var total float64
	for _, r := range apiRows(t, "apipop.csv") {
		popCounty[r["cname"]]++
		total++
	}
	heard := map[string]int{}
	for _, r := range rows {
		heard[r["cname"]]++
	}
	n := float64(len(rows))
	checked := 0
	var share, popShare, diss float64
	for _, g := range rep.Groups {
		if g.Dim != "cname" || g.Place != "" {
			continue
		}
		checked++
		exp := n * popCounty[g.Group] / total
		want := ""
		ratio := (float64(heard[g.Group]) / n) / (popCounty[g.Group] / total)
		switch {
		case heard[g.Group] == 0 && exp >= 1:
			want = "unheard"
		case exp < 5:
			want = "too few to judge"
		case ratio < 0.5:
			want = "under-heard"
		case ratio > 2:
			want = "over-heard"
		default:
			want = "heard"
		}
		if g.Flag != want || math.Abs(g.Expected-exp) > 1e-9 || g.Heard != heard[g.Group] {
			t.Errorf("%s: flag %q expected %.3f heard %d; want %q %.3f %d", g.Group, g.Flag, g.Expected, g.Heard, want, exp, heard[g.Group])
		}
		share += g.Share
		popShare += g.PopShare
		diss += math.Abs(g.Share - g.PopShare)
	}
	if checked != len(popCounty) {
		t.Errorf("%d counties compared, population has %d", checked, len(popCounty))
	}
	if math.Abs(share-1) > 1e-9 || math.Abs(popShare-1) > 1e-9 {
		t.Errorf("shares add to %v and %v", share, popShare)
	}
	// The largest county without a sampled school must be flagged.
	biggest := ""
	for c, p := range popCounty {
		if heard[c] == 0 && (biggest == "" || p > popCounty[biggest]) {
			biggest = c
		}
	}
	found := false
	for _, f := range rep.Flagged {
		if f.Dim == "cname" && f.Group == biggest && f.Place == "" {
			found = f.Flag == "unheard"
		}
	}
	if !found {
		t.Errorf("%s (%.0f schools, none sampled) not flagged unheard", biggest, popCounty[biggest])
	}
	t.Logf("%d of %d counties flagged; largest unheard: %s (%.0f schools)", len(rep.Flagged), len(popCounty), biggest, popCounty[biggest])
	for _, ix := range rep.Index {
		if ix.Dim == "cname" && math.Abs(ix.Index-diss/2) > 1e-9 {
			t.Errorf("dissimilarity %v, want %v", ix.Index, diss/2)
		}
		if ix.Index < 0 || ix.Index > 1 {
			t.Errorf("index %v out of [0,1]", ix.Index)
		}
	}
	// Within-county comparison by school type exists for heard counties.
	within := 0
	for _, g := range rep.Groups {
		if g.Dim == "stype" && g.Place != "" {
			within++
			if heard[g.Place] == 0 {
				t.Errorf("within-area row for unheard county %s", g.Place)
			}
		}
	}
	if within == 0 {
		t.Error("no within-county rows")
	}
	if !strings.Contains(rep.Rule, "0.5") {
		t.Errorf("rule text %q", rep.Rule)
	}
}

func TestInterlocutorLog(t *testing.T) {
	pop, err := ReadPopulation(strings.NewReader("area,sex,group,population\nNorth,female,farmers,500\nNorth,male,farmers,500\nSouth,female,herders,300\nSouth,male,herders,300\n"), "margins.csv")
	if err != nil {
		t.Fatal(err)
	}
	var log []Interlocutor
	for i := 0; i < 12; i++ {
		log = append(log, Interlocutor{Date: "2026-11-02", Place: "North", Group: "farmers", Sex: "male", Role: "chief"})
	}
	log = append(log, Interlocutor{Date: "2026-11-03", Place: "South", Group: "herders", Sex: "male", Role: "elder"})
	for _, it := range log {
		if err := it.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := Unheard(InterlocutorRecords(log, "area", "group"), "interlocutors", pop, "area", DefaultUnheardRule)
	if err != nil {
		t.Fatal(err)
	}
	flags := map[string]string{}
	for _, g := range rep.Groups {
		flags[g.Place+"|"+g.Dim+"="+g.Group] = g.Flag
	}
	want := map[string]string{
		"|sex=female":      "unheard",     // 13 met, 6.5 expected, 0 heard
		"|area=South":      "under-heard", // 1 of 13 vs 37.5%: expected 4.9 → too few? see below
		"North|sex=female": "unheard",
		"|group=herders":   "too few to judge",
	}
	// South: expected 13 × 600/1600 = 4.875 < 5 → too few to judge.
	want["|area=South"] = "too few to judge"
	for k, w := range want {
		if flags[k] != w {
			t.Errorf("%s: %q, want %q", k, flags[k], w)
		}
	}
	// 200 characters is the limit, an accented letter one of them (400 bytes).
	if err := (Interlocutor{Date: "2026-11-02", Place: "Bangassou", Role: strings.Repeat("é", 200)}).Validate(); err != nil {
		t.Errorf("role of 200 accented letters: %v", err)
	}
	bad := []Interlocutor{{Date: "2 Nov", Place: "North"}, {Date: "2026-11-02"}, {Date: "2026-xx-02", Place: "a"},
		{Date: "2026-11-02", Place: "Bangassou", Role: strings.Repeat("é", 201)}}
	for _, b := range bad {
		if b.Validate() == nil {
			t.Errorf("%+v accepted", b)
		}
	}
}

func TestReadPopulationErrors(t *testing.T) {
	tests := []struct{ name, csv, want string }{
		{"empty", "", "empty file"},
		{"no population column", "area,sex\nN,f\n", `no "population" column`},
		{"only population", "population\n3\n", "no dimension columns"},
		{"no rows", "area,population\n", "no population rows"},
		{"bad count", "area,population\nN,3\nS,lots\n", `line 3, column "population": "lots" is not a population count`},
		{"negative", "area,population\nN,-3\n", `"-3" is not a population count`},
		{"empty dim", "area,sex,population\nN,,3\n", `line 2, column "sex": empty value`},
		{"duplicate", "area,population\nN,3\nN,4\n", "line 3: cell N repeats line 2"},
		{"ragged", "area,population\nN,3,4\n", "m.csv:2: record on line 2: wrong number of fields"},
		{"bad quote", "area,population\nN,3\n\nS,\"4\"0\n", `m.csv:4: parse error on line 4, column 5: extraneous or missing " in quoted-field`},
		{"duplicate column", "area,area,population\n", `column "area" appears twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadPopulation(strings.NewReader(tc.csv), "m.csv")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func FuzzReadPopulation(f *testing.F) {
	f.Add("area,sex,population\nN,f,3\nN,m,4\n")
	f.Add("population,area\n1,a\n")
	f.Fuzz(func(t *testing.T, data string) {
		p, err := ReadPopulation(strings.NewReader(data), "fuzz.csv")
		if err != nil {
			return
		}
		for _, d := range p.Dims {
			if _, err := p.Margin(d); err != nil {
				t.Fatal(err)
			}
		}
		_, _ = Unheard([]map[string]string{{p.Dims[0]: "a"}}, "respondents", p, p.Dims[0], UnheardRule{})
	})
}
