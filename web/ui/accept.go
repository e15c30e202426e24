package ui

import "strings"

// AcceptsGzip says whether a request whose Accept-Encoding field lines are
// values takes a gzipped answer (RFC 9110 §12.5.3): gzip (or its alias
// x-gzip) named with a weight above 0, or, gzip not named, "*" with a
// weight above 0. Names and parameters are read in any case with
// whitespace around the separators; a weight that is not a qvalue ("0" to
// "1" with at most three decimals: "2", "0.0001", "1e-1") counts as not
// said; gzip named twice takes the higher weight. Both the UI's files
// (Asset.Write) and the API's answers (web/compress.go) ask it.
func AcceptsGzip(values ...string) bool {
	named, star := -1, -1 // weights in thousandths; -1: not said
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.TrimSpace(name)
			var w *int
			switch {
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				w = &named
			case name == "*":
				w = &star
			default:
				continue
			}
			if q, ok := weight(params); ok && q > *w {
				*w = q
			}
		}
	}
	if named >= 0 {
		return named > 0
	}
	return star > 0
}

// weight reads the q parameter of a coding's parameters ("level=1;q=0.5")
// in thousandths: 1000 when there is none, ok false when it is not a
// qvalue.
func weight(params string) (int, bool) {
	q := 1000
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		var ok bool
		if q, ok = qvalue(strings.TrimSpace(v)); !ok {
			return 0, false
		}
	}
	return q, true
}

// qvalue parses a weight, "0" ["." 0*3DIGIT] / "1" ["." 0*3("0")], in
// thousandths.
func qvalue(s string) (int, bool) {
	if s == "" || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	whole := int(s[0]-'0') * 1000
	frac := s[1:]
	if frac == "" {
		return whole, true
	}
	if frac[0] != '.' || len(frac) > 4 {
		return 0, false
	}
	n, scale := 0, 100
	for i := 1; i < len(frac); i++ {
		d := frac[i]
		if d < '0' || d > '9' || (whole == 1000 && d != '0') {
			return 0, false
		}
		n += int(d-'0') * scale
		scale /= 10
	}
	return whole + n, true
}
