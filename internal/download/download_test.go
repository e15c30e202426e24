package download_test

import (
	"testing"

	"github.com/vigil-project/vigil/internal/download"
)

func TestSafeName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"MINUSCA", "MINUSCA"},
		{"a b/c..d", "abcd"},
		{`"; rm -rf`, "rm-rf"},
		{"év_1", "v_1"},
		{"", "mission"},
		{"../..", "mission"},
	} {
		if got := download.SafeName(c.in, "mission"); got != c.want {
			t.Errorf("SafeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
