package contacts

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// TestImportUploadNames: an upload's errors name it by ?name=, or
// upload.csv when the name is absent or longer than 200 bytes; nothing is
// imported from a file with an error.
func TestImportUploadNames(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"", "upload.csv"},
		{"village-a.csv", "village-a.csv"},
		{strings.Repeat("n", 201), "upload.csv"},
	} {
		q := url.Values{"consent": {"verbal"}}
		if c.name != "" {
			q.Set("name", c.name)
		}
		n, err := (&Service{}).ImportUpload(context.Background(), "ana", strings.NewReader("name,phone\n"), q)
		if err == nil || !strings.HasPrefix(err.Error(), c.want+":") || n.Imported != 0 {
			t.Errorf("name %.20q: %d, %v; want an error naming %s", c.name, n.Imported, err, c.want)
		}
	}
}
