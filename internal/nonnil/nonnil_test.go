package nonnil_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/vigil-project/vigil/internal/nonnil"
)

func TestList(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name    string
		in      []int
		err     error
		wantNil bool
		json    string
	}{
		{"nil list", nil, nil, false, "[]"},
		{"empty list", []int{}, nil, false, "[]"},
		{"values", []int{1, 2}, nil, false, "[1,2]"},
		{"error keeps nil", nil, boom, true, "null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := nonnil.List(tc.in, tc.err)
			if err != tc.err || (got == nil) != tc.wantNil {
				t.Fatalf("List = %v, %v", got, err)
			}
			if b, _ := json.Marshal(got); string(b) != tc.json {
				t.Errorf("JSON %s, want %s", b, tc.json)
			}
		})
	}
}
