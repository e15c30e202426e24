package web

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/openrosa"
)

// A Digest client written by hand from RFC 7616 (MD5, qop=auth), as ODK
// Collect does it: ask, read the challenge, answer it.

var challengeParam = regexp.MustCompile(`(\w+)=(?:"([^"]*)"|([^,\s]*))`)

type digestChallenge struct {
	realm, nonce, opaque, qop, algorithm string
	stale                                bool
}

// challenges returns the Digest challenge of a 401 and whether Basic was
// offered too.
func challenges(t *testing.T, resp *http.Response) (digestChallenge, bool) {
	t.Helper()
	var c digestChallenge
	basic, found := false, false
	for _, v := range resp.Header.Values("WWW-Authenticate") {
		switch {
		case strings.HasPrefix(v, "Basic "):
			basic = true
		case strings.HasPrefix(v, "Digest "):
			found = true
			for _, m := range challengeParam.FindAllStringSubmatch(v, -1) {
				val := m[2] + m[3]
				switch m[1] {
				case "realm":
					c.realm = val
				case "nonce":
					c.nonce = val
				case "opaque":
					c.opaque = val
				case "qop":
					c.qop = val
				case "algorithm":
					c.algorithm = val
				case "stale":
					c.stale = val == "true"
				}
			}
		}
	}
	if !found {
		t.Fatalf("401 without a Digest challenge: %q", resp.Header.Values("WWW-Authenticate"))
	}
	return c, basic
}

func md5hexT(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// digestAuth builds the Authorization header for a challenge.
func digestAuth(c digestChallenge, user, pw, method, uri string, nc int) string {
	ha1 := md5hexT(user + ":" + c.realm + ":" + pw)
	ha2 := md5hexT(method + ":" + uri)
	ncs := fmt.Sprintf("%08x", nc)
	cnonce := "0a4f113b"
	resp := md5hexT(ha1 + ":" + c.nonce + ":" + ncs + ":" + cnonce + ":auth:" + ha2)
	return fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=MD5, qop=auth, nc=%s, cnonce="%s", response="%s", opaque="%s"`,
		user, c.realm, c.nonce, uri, ncs, cnonce, resp, c.opaque)
}

// send makes one request with an optional Authorization header.
func (e *orEnv) send(method, path, authz, ctype string, body []byte) (*http.Response, string) {
	e.t.Helper()
	r, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if authz != "" {
		r.Header.Set("Authorization", authz)
	}
	return e.roundTrip(r, ctype)
}

// challenge asks without credentials and returns the Digest challenge.
func (e *orEnv) challenge(t *testing.T) digestChallenge {
	t.Helper()
	resp, _ := e.send("HEAD", "/submission", "", "", nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no credentials: %d, want 401", resp.StatusCode)
	}
	c, _ := challenges(t, resp)
	return c
}

// enableDigest stores a sealed HA1 for user as the CLI does.
func (e *orEnv) enableDigest(user, pw string) {
	e.t.Helper()
	sealed, err := openrosa.SealHA1(e.svc.Keys, user, pw)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.SetDigestHA1(context.Background(), "test", user, sealed); err != nil {
		e.t.Fatal(err)
	}
}

func TestOpenRosaDigest(t *testing.T) {
	e := newOREnv(t)
	e.enableDigest("enum", orPassword)
	e.enableDigest("outsider", orPassword)

	// The challenge: Digest first, Basic second.
	resp, _ := e.send("GET", "/formList", "", "", nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no credentials: %d", resp.StatusCode)
	}
	c, basic := challenges(t, resp)
	if !basic || c.realm != openrosa.DigestRealm || c.qop != "auth" || c.algorithm != "MD5" || c.nonce == "" || c.opaque == "" || c.stale {
		t.Fatalf("challenge %+v (basic offered: %v)", c, basic)
	}
	if vs := resp.Header.Values("WWW-Authenticate"); !strings.HasPrefix(vs[0], "Digest ") {
		t.Errorf("first challenge is %q, want Digest", vs[0])
	}

	// Full round trip: list, download, submit, all on one nonce.
	resp, body := e.send("GET", "/formList", digestAuth(c, "enum", orPassword, "GET", "/formList", 1), "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "<formID>simple</formID>") {
		t.Fatalf("formList with Digest: %d %s", resp.StatusCode, body)
	}
	resp, body = e.send("GET", "/forms/simple/form.xml", digestAuth(c, "enum", orPassword, "GET", "/forms/simple/form.xml", 2), "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `<data id="simple"`) {
		t.Fatalf("form.xml with Digest: %d", resp.StatusCode)
	}
	resp, _ = e.send("HEAD", "/submission", digestAuth(c, "enum", orPassword, "HEAD", "/submission", 3), "", nil)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("HEAD /submission with Digest: %d", resp.StatusCode)
	}
	ctype, sub := submission(simpleXML("uuid:digest-1", "Amina", "34"), map[string][]byte{"photo.jpg": []byte("JPEG")})
	resp, body = e.send("POST", "/submission", digestAuth(c, "enum", orPassword, "POST", "/submission", 4), ctype, sub)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("submission with Digest: %d %s", resp.StatusCode, body)
	}
	if n := e.count(); n != 1 {
		t.Fatalf("%d submissions stored, want 1", n)
	}
	// Out-of-order counts within the window are fine (parallel requests).
	resp, _ = e.send("GET", "/formList?verbose=true", digestAuth(c, "enum", orPassword, "GET", "/formList?verbose=true", 10), "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("nc 10: %d", resp.StatusCode)
	}
	resp, _ = e.send("GET", "/formList", digestAuth(c, "enum", orPassword, "GET", "/formList", 7), "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("nc 7 after 10: %d", resp.StatusCode)
	}

	old := digestChallenge{realm: c.realm, opaque: c.opaque, nonce: e.s.orLogin.Digest().Nonce(time.Now().Add(-10 * time.Minute))}
	for _, tc := range []struct {
		name, method, path, authz string
		body                      []byte
		ctype                     string
		want                      int
		stale                     bool
	}{
		{name: "replayed nc", method: "GET", path: "/formList", authz: digestAuth(c, "enum", orPassword, "GET", "/formList", 4), want: 401},
		{name: "expired nonce", method: "GET", path: "/formList", authz: digestAuth(old, "enum", orPassword, "GET", "/formList", 1), want: 401, stale: true},
		{name: "nonce from another server", method: "GET", path: "/formList",
			authz: digestAuth(digestChallenge{realm: c.realm, opaque: c.opaque, nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093"}, "enum", orPassword, "GET", "/formList", 1), want: 401, stale: true},
		{name: "wrong password", method: "GET", path: "/formList", authz: digestAuth(c, "enum", "not the password", "GET", "/formList", 20), want: 401},
		{name: "uri of another resource", method: "GET", path: "/formList", authz: digestAuth(c, "enum", orPassword, "GET", "/forms/simple/form.xml", 21), want: 401},
		{name: "unknown user", method: "GET", path: "/formList", authz: digestAuth(c, "nobody", orPassword, "GET", "/formList", 22), want: 401},
		{name: "user without HA1", method: "GET", path: "/formList", authz: digestAuth(c, "ada", orPassword, "GET", "/formList", 23), want: 401},
		{name: "malformed header", method: "GET", path: "/formList", authz: `Digest username="enum", realm="Vigil"`, want: 401},
		{name: "no access to the form", method: "GET", path: "/forms/simple/form.xml", authz: digestAuth(c, "outsider", orPassword, "GET", "/forms/simple/form.xml", 24), want: 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.send(tc.method, tc.path, tc.authz, tc.ctype, tc.body)
			if resp.StatusCode != tc.want {
				t.Fatalf("%d %s, want %d", resp.StatusCode, body, tc.want)
			}
			if resp.Header.Get("X-OpenRosa-Version") != "1.0" {
				t.Error("no X-OpenRosa-Version")
			}
			if tc.want == 401 {
				ch, basic := challenges(t, resp)
				if ch.stale != tc.stale || !basic {
					t.Fatalf("challenge %+v (basic %v), want stale=%v", ch, basic, tc.stale)
				}
				if !strings.Contains(body, "<OpenRosaResponse") {
					t.Errorf("401 body is not an OpenRosaResponse: %s", body)
				}
			}
		})
	}
	// The outsider logs in but does not see the form.
	resp, body = e.send("GET", "/formList", digestAuth(c, "outsider", orPassword, "GET", "/formList", 25), "", nil)
	if resp.StatusCode != 200 || strings.Contains(body, "simple") {
		t.Fatalf("outsider formList: %d %s", resp.StatusCode, body)
	}
	// A stale challenge's fresh nonce works at once.
	resp, _ = e.send("GET", "/formList", digestAuth(old, "enum", orPassword, "GET", "/formList", 1), "", nil)
	fresh, _ := challenges(t, resp)
	resp, _ = e.send("GET", "/formList", digestAuth(fresh, "enum", orPassword, "GET", "/formList", 1), "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("after stale: %d", resp.StatusCode)
	}
	// Users without an HA1 still log in with Basic.
	if resp, _ := e.req("GET", "/formList", "ada", "", nil); resp.StatusCode != 200 {
		t.Fatalf("Basic for a user without HA1: %d", resp.StatusCode)
	}
	// A password change drops the HA1: the old Digest password stops working.
	pw := "a brand new password"
	if _, err := auth.NewService(e.db).UpdateUser(context.Background(), "test", "enum", auth.Change{Password: &pw}); err != nil {
		t.Fatal(err)
	}
	resp, _ = e.send("GET", "/formList", digestAuth(c, "enum", orPassword, "GET", "/formList", 30), "", nil)
	if resp.StatusCode != 401 {
		t.Fatalf("old Digest password after a password change: %d", resp.StatusCode)
	}
	// The audit log records that a digest credential was set, not its value.
	recs, err := e.db.AuditLog(context.Background(), audit.Filter{Action: "user.digest"})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d user.digest audit records, want 2", len(recs))
	}
	for _, r := range recs {
		if strings.Contains(r.Detail, md5hexT("enum:Vigil:"+orPassword)) {
			t.Fatal("audit holds the HA1")
		}
	}
}

// FuzzOpenRosaDigestHeader: no Authorization header makes an OpenRosa route
// answer 5xx or panic.
func FuzzOpenRosaDigestHeader(f *testing.F) {
	e := newOREnv(f)
	e.enableDigest("enum", orPassword)
	c := digestChallenge{realm: "Vigil", opaque: e.s.orLogin.Digest().Opaque(), nonce: e.s.orLogin.Digest().Nonce(time.Now())}
	f.Add(digestAuth(c, "enum", orPassword, "GET", "/formList", 1))
	f.Add(`Digest username="enum", realm="Vigil", nonce="x", uri="/formList", qop=auth, nc=00000001, cnonce="c", response="6629fae49393a05397450978507c4ef1"`)
	f.Add(`Digest username="`)
	f.Add("Digest ")
	f.Fuzz(func(t *testing.T, h string) {
		r := httptest.NewRequest("GET", "/formList", nil)
		r.Header.Set("Authorization", h)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("Authorization %q: %d %s", h, w.Code, w.Body)
		}
	})
}
