// Package geotext finds coordinates and place names in free text.
//
// It finds locations in the free text of community alerts: coordinates in the
// forms people actually write (decimal "-1.2921, 36.8219",
// degrees-minutes-seconds "1°17′23″S 36°49′E", "N45:30:30 E12:10:00", "S 1.29 E
// 36.82", "45N30 / 75W30" …) and place names from a gazetteer the mission
// imports (CSV: name, alternate names, lat, lon, admin codes), matched without
// regard to case or accents.
//
// Nothing is guessed silently: Resolve returns Resolved only when the text
// names exactly one location; several candidates are Ambiguous and none is
// Unresolved, both with a reason, so a human can decide.
package geotext

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Axis says which coordinate a component is.
type Axis int

const (
	Lat Axis = iota
	Lon
)

// component is one parsed latitude or longitude.
type component struct {
	value     float64
	hemi      byte // 'N','S','E','W' or 0
	marked    bool // had a degree/minute mark or hemisphere
	precision float64
	decimals  int // decimals of the last number
}

const (
	mPerDeg = 111320.0
	mPerMin = mPerDeg / 60
	mPerSec = mPerDeg / 3600
)

// parseComponent parses one latitude or longitude written as decimal
// degrees, degrees and decimal minutes, or degrees-minutes-seconds, with the
// hemisphere letter before, after, or inside the number ("45N30").
func parseComponent(s string) (component, error) {
	var c component
	var nums []string
	neg := false
	i := 0
	for i < len(s) {
		r, size := decodeRune(s[i:])
		switch {
		case r >= '0' && r <= '9' || r == '.':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			nums = append(nums, s[i:j])
			i = j
			continue
		case r == '-' || r == '+' || r == '−':
			if len(nums) > 0 || neg {
				return c, apperr.Textf("sign %q in the middle of %q", r, s)
			}
			neg = r != '+'
		case strings.ContainsRune("NSEWnsew", r):
			if c.hemi != 0 {
				return c, apperr.Textf("two hemisphere letters in %q", s)
			}
			c.hemi = byte(unicode.ToUpper(r))
			c.marked = true
		case strings.ContainsRune("°º˚'′’\"″”:", r):
			c.marked = true
		case r == ' ' || r == '\t' || r == '\u00a0':
		default:
			return c, apperr.Textf("unexpected %q in %q", r, s)
		}
		i += size
	}
	if len(nums) == 0 || len(nums) > 3 {
		return c, apperr.Textf("%q: want degrees, optionally minutes and seconds", s)
	}
	if neg && (c.hemi == 'S' || c.hemi == 'W') {
		return c, apperr.Textf("%q has both a minus sign and hemisphere %c", s, c.hemi)
	}
	units := []float64{1, 1.0 / 60, 1.0 / 3600}
	unitM := []float64{mPerDeg, mPerMin, mPerSec}
	var v float64
	for k, n := range nums {
		if strings.Count(n, ".") > 1 || n == "." {
			return c, apperr.Textf("%q is not a number", n)
		}
		if k < len(nums)-1 && strings.Contains(n, ".") {
			return c, apperr.Textf("%q: only the last part may have decimals", s)
		}
		f, err := strconv.ParseFloat(n, 64)
		if err != nil {
			return c, apperr.Textf("%q is not a number", n)
		}
		if k > 0 && f >= 60 {
			if k == 1 {
				return c, apperr.Textf("%q: minutes must be below 60", s)
			}
			return c, apperr.Textf("%q: seconds must be below 60", s)
		}
		v += f * units[k]
		if k == len(nums)-1 {
			d := 0
			if dot := strings.IndexByte(n, '.'); dot >= 0 {
				d = len(n) - dot - 1
			}
			c.decimals = d
			c.precision = unitM[k] / math.Pow(10, float64(d))
		}
	}
	if len(nums) > 1 {
		c.marked = true
	}
	if neg || c.hemi == 'S' || c.hemi == 'W' {
		v = -v
	}
	c.value = v
	return c, nil
}

func decodeRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 1
}

func (c component) check(ax Axis, src string) error {
	switch ax {
	case Lat:
		if c.hemi == 'E' || c.hemi == 'W' {
			return apperr.Textf("%q: hemisphere %c is not a latitude", src, c.hemi)
		}
		if c.value < -90 || c.value > 90 {
			return apperr.Textf("%q: latitude %g out of range [-90, 90]", src, c.value)
		}
	case Lon:
		if c.hemi == 'N' || c.hemi == 'S' {
			return apperr.Textf("%q: hemisphere %c is not a longitude", src, c.hemi)
		}
		if c.value < -180 || c.value > 180 {
			return apperr.Textf("%q: longitude %g out of range [-180, 180]", src, c.value)
		}
	}
	return nil
}

// ParseLat parses one latitude ("45.5", "N45:30:30", "1°17′S", "S 45 30.5").
func ParseLat(s string) (float64, error) {
	c, err := parseComponent(strings.TrimSpace(s))
	if err == nil {
		err = c.check(Lat, s)
	}
	return c.value, err
}

// ParseLon parses one longitude.
func ParseLon(s string) (float64, error) {
	c, err := parseComponent(strings.TrimSpace(s))
	if err == nil {
		err = c.check(Lon, s)
	}
	return c.value, err
}

// Coord is a parsed coordinate pair with its precision in metres (half the
// size of the last written unit, e.g. ~31 m for whole seconds).
type Coord struct {
	Lat, Lon   float64
	PrecisionM float64
	marked     bool
	minDec     int
}

// ErrAmbiguous marks text that reads as more than one coordinate pair.
var ErrAmbiguous = errors.New("ambiguous coordinates")

// ParseCoord parses a latitude/longitude pair separated by ",", ";", "/" or
// spaces. Without hemisphere letters the order is latitude, longitude; with
// them, "E…, N…" is accepted too.
func ParseCoord(s string) (Coord, error) {
	s = strings.TrimSpace(s)
	var found []Coord
	var firstErr error
	tried := map[int]bool{}
	for i, r := range s {
		if !(r == ',' || r == ';' || r == '/' || r == ' ') || tried[i] {
			continue
		}
		// Split at the separator run starting here.
		j := i
		for j < len(s) && strings.IndexByte(",;/ \t", s[j]) >= 0 {
			tried[j] = true
			j++
		}
		seps := s[i:j]
		if strings.Count(seps, ",")+strings.Count(seps, ";")+strings.Count(seps, "/") > 1 {
			continue
		}
		a, b := strings.TrimSpace(s[:i]), strings.TrimSpace(s[j:])
		if a == "" || b == "" {
			continue
		}
		c, err := pair(a, b)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		found = append(found, c)
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		for _, f := range found[1:] {
			if math.Abs(f.Lat-found[0].Lat) > 1e-9 || math.Abs(f.Lon-found[0].Lon) > 1e-9 {
				return Coord{}, fmt.Errorf("%q: %w (%.6f,%.6f or %.6f,%.6f)", s, ErrAmbiguous, found[0].Lat, found[0].Lon, f.Lat, f.Lon)
			}
		}
		return found[0], nil
	case firstErr != nil:
		return Coord{}, firstErr
	}
	return Coord{}, fmt.Errorf("%q: want a latitude and a longitude", s)
}

func pair(a, b string) (Coord, error) {
	ca, err := parseComponent(a)
	if err != nil {
		return Coord{}, err
	}
	cb, err := parseComponent(b)
	if err != nil {
		return Coord{}, err
	}
	lat, lon := ca, cb
	if (ca.hemi == 'E' || ca.hemi == 'W') && (cb.hemi == 'N' || cb.hemi == 'S' || cb.hemi == 0) {
		lat, lon = cb, ca
	}
	if err := lat.check(Lat, a); err != nil {
		return Coord{}, err
	}
	if err := lon.check(Lon, b); err != nil {
		return Coord{}, err
	}
	return Coord{Lat: lat.value, Lon: lon.value, PrecisionM: math.Max(lat.precision, lon.precision),
		marked: lat.marked || lon.marked, minDec: min(lat.decimals, lon.decimals)}, nil
}
