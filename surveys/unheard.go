package surveys

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
	"github.com/vigil-project/vigil/internal/textcheck"
)

// Population holds the population margins a mission loads: one count per
// combination of dimensions, e.g. area, sex, age_group, displacement →
// population. Dimension names are the answer fields they describe.
type Population struct {
	Dims  []string  `json:"dims"`
	Cells []PopCell `json:"cells"`
}

// PopCell is one population count.
type PopCell struct {
	Values []string `json:"values"` // one per dimension
	Count  float64  `json:"count"`
}

// PopulationColumn is the header of the count column in a margins CSV.
const PopulationColumn = "population"

// maxPopulationCells bounds a margins file.
const maxPopulationCells = 1_000_000

// ReadPopulation reads a margins CSV: a header of dimension names and a
// "population" column, then one row per cell. Errors name the line and
// column; a duplicated cell is an error.
func ReadPopulation(r io.Reader, name string) (*Population, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, apperr.Textf("%s: empty file (want a header with dimension columns and %q)", name, PopulationColumn)
	}
	if err != nil {
		return nil, apperr.Textf("%s: %w", name, csvErr(err))
	}
	popCol := -1
	p := &Population{}
	seenCol := map[string]bool{}
	for j, h := range header {
		h = csvread.Name(h)
		if h == "" {
			return nil, apperr.Textf("%s: line 1, column %d: empty column name", name, j+1)
		}
		if seenCol[h] {
			return nil, apperr.Textf("%s: line 1: column %q appears twice", name, h)
		}
		seenCol[h] = true
		if strings.EqualFold(h, PopulationColumn) {
			popCol = j
			continue
		}
		p.Dims = append(p.Dims, h)
	}
	if popCol < 0 {
		return nil, apperr.Textf("%s: line 1: no %q column", name, PopulationColumn)
	}
	if len(p.Dims) == 0 {
		return nil, apperr.Textf("%s: line 1: no dimension columns besides %q", name, PopulationColumn)
	}
	seen := map[string]int{}
	err = csvread.Each(cr, name, func(rec []string, line int) error {
		if len(p.Cells) >= maxPopulationCells {
			return apperr.Textf("%s: more than %d cells", name, maxPopulationCells)
		}
		var c PopCell
		for j, v := range rec {
			v = strings.TrimSpace(v)
			if j == popCol {
				n, err := strconv.ParseFloat(v, 64)
				if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || n < 0 {
					return apperr.Textf("%s: line %d, column %q: %q is not a population count", name, line, header[j], v)
				}
				c.Count = n
				continue
			}
			if v == "" {
				return apperr.Textf("%s: line %d, column %q: empty value", name, line, strings.TrimSpace(header[j]))
			}
			c.Values = append(c.Values, v)
		}
		key := strings.Join(c.Values, "\x00")
		if prev, dup := seen[key]; dup {
			return apperr.Textf("%s: line %d: cell %s repeats line %d", name, line, strings.Join(c.Values, "/"), prev)
		}
		seen[key] = line
		p.Cells = append(p.Cells, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(p.Cells) == 0 {
		return nil, apperr.Textf("%s: no population rows after the header", name)
	}
	return p, nil
}

func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return apperr.Textf("line %d: %v", pe.Line, apperr.CSVReason(pe.Err))
	}
	return err
}

func (p *Population) dim(d string) (int, error) {
	for j, x := range p.Dims {
		if x == d {
			return j, nil
		}
	}
	return -1, apperr.Textf("population margins have no dimension %q (dimensions: %s)", d, strings.Join(p.Dims, ", "))
}

// Margin returns the population by level of one dimension.
func (p *Population) Margin(d string) (map[string]float64, error) {
	j, err := p.dim(d)
	if err != nil {
		return nil, err
	}
	m := map[string]float64{}
	for _, c := range p.Cells {
		m[c.Values[j]] += c.Count
	}
	return m, nil
}

// margin2 returns the population by (level of a, level of b).
func (p *Population) margin2(a, b string) (map[[2]string]float64, error) {
	ja, err := p.dim(a)
	if err != nil {
		return nil, err
	}
	jb, err := p.dim(b)
	if err != nil {
		return nil, err
	}
	m := map[[2]string]float64{}
	for _, c := range p.Cells {
		m[[2]string{c.Values[ja], c.Values[jb]}] += c.Count
	}
	return m, nil
}

// UnheardRule decides when a group counts as not heard. A group is
// "unheard" when nobody from it was heard although at least MinExpected
// people would have been at its population share (default 1 for unheard),
// "under-heard" when its representation ratio (share among those heard ÷
// share of the population) is below Ratio (default 0.5: heard at less than
// half its weight) and at least MinExpected (default 5) would have been
// heard at its share; "too few to judge" when fewer would have been.
type UnheardRule struct {
	Ratio       float64 `json:"ratio"`
	MinExpected float64 `json:"min_expected"`
}

// DefaultUnheardRule is the rule stated on UnheardRule.
var DefaultUnheardRule = UnheardRule{Ratio: 0.5, MinExpected: 5}

// Text states the rule in words.
func (r UnheardRule) Text() string {
	return fmt.Sprintf("under-heard: share among those heard below %g × population share, where at least %g would be expected at the population share; unheard: none heard where at least 1 would be expected", r.Ratio, r.MinExpected)
}

// Representation compares one group's share among those heard with its
// share of the population, overall or within one place.
type Representation struct {
	Source   string  `json:"source"` // "respondents" or "interlocutors"
	Place    string  `json:"place,omitempty"`
	Dim      string  `json:"dim"`
	Group    string  `json:"group"`
	Heard    int     `json:"heard"`
	Expected float64 `json:"expected"`  // heard in all × population share
	Share    float64 `json:"share"`     // among those heard
	PopShare float64 `json:"pop_share"` // of the population
	Ratio    float64 `json:"ratio"`     // Share / PopShare
	Flag     string  `json:"flag"`      // unheard, under-heard, heard, over-heard, too few to judge
}

// Dissimilarity is Duncan's index for one dimension: half the sum of the
// absolute differences between shares heard and population shares (0: the
// people heard look like the population; 1: entirely different groups).
type Dissimilarity struct {
	Source string  `json:"source"`
	Dim    string  `json:"dim"`
	Index  float64 `json:"index"`
}

// UnheardReport is the "who is unheard" comparison.
type UnheardReport struct {
	Rule     string           `json:"rule"`
	AreaDim  string           `json:"area_dim"`
	Groups   []Representation `json:"groups"`
	Index    []Dissimilarity  `json:"index"`
	Flagged  []Representation `json:"flagged"`
	Warnings []string         `json:"warnings,omitempty"`
}

// Interlocutor is one entry of the log of people mission staff met: no
// names, only what is needed to see whose views reach the mission.
type Interlocutor struct {
	ID    int64  `json:"id,omitempty"`
	Date  string `json:"date"`  // YYYY-MM-DD
	Place string `json:"place"` // admin area (matches the population's area dimension)
	Group string `json:"group"` // community group (matches the population's group dimension)
	Sex   string `json:"sex"`
	Role  string `json:"role"` // e.g. chief, women's association, youth leader, IDP committee
}

// Validate checks an interlocutor entry.
func (it Interlocutor) Validate() error {
	if len(it.Date) != 10 {
		return apperr.Fieldf(apperr.KindInvalid, "date", "%q is not YYYY-MM-DD", it.Date)
	}
	if _, err := time.Parse("2006-01-02", it.Date); err != nil {
		// Also refuses days that do not exist (2026-02-30).
		return apperr.Fieldf(apperr.KindInvalid, "date", "%q is not a date (YYYY-MM-DD)", it.Date)
	}
	if strings.TrimSpace(it.Place) == "" {
		return apperr.FieldErr(apperr.KindInvalid, "place", sayKey("surveys.refusal.empty"))
	}
	for _, f := range []struct{ name, v string }{{"place", it.Place}, {"group", it.Group}, {"sex", it.Sex}, {"role", it.Role}} {
		// Characters, as the message says (an accented letter is one); said
		// by its key, as contacts' catalog has the same English.
		if utf8.RuneCountInString(f.v) > 200 {
			return apperr.FieldErr(apperr.KindInvalid, f.name, sayKey("surveys.refusal.too-long"))
		}
		if err := textcheck.Name(f.v); err != nil {
			return apperr.FieldErr(apperr.KindInvalid, f.name, err)
		}
	}
	return nil
}

// InterlocutorRecords turns log entries into records keyed like answers:
// place under areaDim, group under groupDim (if given), sex under "sex".
func InterlocutorRecords(log []Interlocutor, areaDim, groupDim string) []map[string]string {
	out := make([]map[string]string, len(log))
	for i, it := range log {
		r := map[string]string{areaDim: it.Place, "sex": it.Sex, "role": it.Role}
		if groupDim != "" {
			r[groupDim] = it.Group
		}
		out[i] = r
	}
	return out
}

// Unheard compares the composition of records (respondents' answers or
// interlocutor records) with the population, for every population
// dimension the records carry: overall and, for dimensions other than the
// area, within each area. source labels the records.
func Unheard(records []map[string]string, source string, pop *Population, areaDim string, rule UnheardRule) (*UnheardReport, error) {
	return unheard(func(yield func(map[string]string, int) bool) {
		for _, r := range records {
			if !yield(r, 1) {
				return
			}
		}
	}, source, pop, areaDim, rule)
}

// unheard is Unheard of records each standing for as many records as
// its number (the respondents' distinct answers, counted).
func unheard(records iter.Seq2[map[string]string, int], source string, pop *Population, areaDim string, rule UnheardRule) (*UnheardReport, error) {
	if rule.Ratio <= 0 {
		rule.Ratio = DefaultUnheardRule.Ratio
	}
	if rule.MinExpected <= 0 {
		rule.MinExpected = DefaultUnheardRule.MinExpected
	}
	if _, err := pop.dim(areaDim); err != nil {
		return nil, apperr.Textf("area dimension: %w", err)
	}
	rep := &UnheardReport{Rule: rule.Text(), AreaDim: areaDim}
	var total float64
	for _, c := range pop.Cells {
		total += c.Count
	}
	if total <= 0 {
		return nil, apperr.Textf("population margins add up to zero")
	}
	for _, dim := range pop.Dims {
		// Records with an answer for this dimension.
		heard := map[string]int{}
		n := 0
		for r, k := range records {
			if v := strings.TrimSpace(r[dim]); v != "" {
				heard[v] += k
				n += k
			}
		}
		if n == 0 {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s: no %s record gives %q; not compared", dim, source, dim))
			continue
		}
		m, _ := pop.Margin(dim)
		var diss float64
		for _, g := range SortedKeys(m) {
			r := represent(source, "", dim, g, heard[g], n, m[g]/total, rule)
			diss += math.Abs(r.Share - r.PopShare)
			rep.Groups = append(rep.Groups, r)
		}
		for g, k := range heard {
			if _, ok := m[g]; !ok {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s=%s: %d %s but not in the population margins", dim, g, k, source))
			}
		}
		rep.Index = append(rep.Index, Dissimilarity{Source: source, Dim: dim, Index: diss / 2})
		if dim == areaDim {
			continue
		}
		// Within each area.
		m2, _ := pop.margin2(areaDim, dim)
		areaPop, _ := pop.Margin(areaDim)
		heardIn := map[[2]string]int{}
		nIn := map[string]int{}
		for r, k := range records {
			a, v := strings.TrimSpace(r[areaDim]), strings.TrimSpace(r[dim])
			if a != "" && v != "" {
				heardIn[[2]string{a, v}] += k
				nIn[a] += k
			}
		}
		keys := make([][2]string, 0, len(m2))
		for k := range m2 {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i][0] != keys[j][0] {
				return keys[i][0] < keys[j][0]
			}
			return keys[i][1] < keys[j][1]
		})
		for _, k := range keys {
			if areaPop[k[0]] <= 0 || nIn[k[0]] == 0 {
				continue // an area nobody was heard in is flagged at area level
			}
			rep.Groups = append(rep.Groups, represent(source, k[0], dim, k[1], heardIn[k], nIn[k[0]], m2[k]/areaPop[k[0]], rule))
		}
	}
	for _, g := range rep.Groups {
		if g.Flag == "unheard" || g.Flag == "under-heard" {
			rep.Flagged = append(rep.Flagged, g)
		}
	}
	return rep, nil
}

func represent(source, place, dim, group string, heard, n int, popShare float64, rule UnheardRule) Representation {
	r := Representation{Source: source, Place: place, Dim: dim, Group: group, Heard: heard, PopShare: popShare}
	r.Share = float64(heard) / float64(n)
	r.Expected = float64(n) * popShare
	if popShare > 0 {
		r.Ratio = r.Share / popShare
	}
	switch {
	case popShare == 0:
		r.Flag = "heard"
	case heard == 0 && r.Expected >= 1:
		r.Flag = "unheard"
	case r.Expected < rule.MinExpected:
		r.Flag = "too few to judge"
	case r.Ratio < rule.Ratio:
		r.Flag = "under-heard"
	case r.Ratio > 1/rule.Ratio:
		r.Flag = "over-heard"
	default:
		r.Flag = "heard"
	}
	return r
}
