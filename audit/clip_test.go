package audit

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	for _, c := range []struct {
		name   string
		detail string
		keep   bool // unchanged
	}{
		{"short", "format=csv round=\"R1\"", true},
		{"exactly the limit", strings.Repeat("x", MaxField), true},
		{"long ASCII", strings.Repeat("x", 3*MaxField), false},
		{"long multibyte", strings.Repeat("é", MaxField), false},
		{"invalid UTF-8", "round=\xff\xfe", false},
	} {
		e := Entry{Actor: "ana", Action: "survey.export", Object: c.detail, Detail: c.detail}.Clip()
		if err := e.Validate(); err != nil {
			t.Errorf("%s: clipped entry invalid: %v", c.name, err)
		}
		if (e.Detail == c.detail) != c.keep || !utf8.ValidString(e.Detail) || len(e.Detail) > MaxField {
			t.Errorf("%s: %d bytes, kept %v", c.name, len(e.Detail), e.Detail == c.detail)
		}
		if len(c.detail) > MaxField && !strings.HasSuffix(e.Detail, "bytes cut]") {
			t.Errorf("%s: no marker: …%s", c.name, e.Detail[len(e.Detail)-40:])
		}
	}
}
