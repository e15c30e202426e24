package openrosa_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/openrosa"
)

// Vectors: RFC 2617 §3.5 and RFC 7616 §3.9.1 (MD5), and one computed by
// hand with md5sum(1):
//
//	printf '%s' 'enum:Vigil:enumerator password 1' | md5sum
//	printf '%s' 'POST:/submission' | md5sum
//	printf '%s' "$HA1:abc:0000000a:xyz:auth:$HA2" | md5sum
func TestDigestVectors(t *testing.T) {
	for _, c := range []struct {
		name, user, realm, pw, method, uri, nonce, nc, cnonce, ha1, resp string
	}{
		{"RFC 2617", "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
			"dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b",
			"939e7578ed9e3c518a452acee763bce9", "6629fae49393a05397450978507c4ef1"},
		{"RFC 7616", "Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html",
			"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
			"", "8ca523f5e9506fed4657c9700eebdbec"},
		{"md5sum", "enum", "Vigil", "enumerator password 1", "POST", "/submission",
			"abc", "0000000a", "xyz",
			"aaed6c1806e80a21b2d139103bf5aa3e", "0c8b4ce4cb30be700a3d82527e89ba9b"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ha1 := openrosa.HA1(c.user, c.realm, c.pw)
			if c.ha1 != "" && ha1 != c.ha1 {
				t.Errorf("HA1 = %s, want %s", ha1, c.ha1)
			}
			if got := openrosa.DigestResponse(ha1, c.nonce, c.nc, c.cnonce, "auth", c.method, c.uri); got != c.resp {
				t.Errorf("response = %s, want %s", got, c.resp)
			}
		})
	}
}

func TestParseDigest(t *testing.T) {
	const rfc = `Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"`
	c, err := openrosa.ParseDigest(rfc)
	if err != nil {
		t.Fatal(err)
	}
	want := openrosa.DigestCredentials{Username: "Mufasa", Realm: "testrealm@host.com", Nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
		URI: "/dir/index.html", QOP: "auth", NC: "00000001", CNonce: "0a4f113b", Response: "6629fae49393a05397450978507c4ef1",
		Opaque: "5ccc069c403ebaf9f0171e9517f40e41"}
	if c != want {
		t.Fatalf("parsed %+v\nwant   %+v", c, want)
	}
	// escapes and odd spacing
	c, err = openrosa.ParseDigest(`digest  username = "a\"b\\c" ,realm="Vigil",nonce=n,uri="/x?a=1,2",qop="auth",nc=000000ff,cnonce=c,response=6629FAE49393A05397450978507C4EF1,algorithm=MD5`)
	if err != nil {
		t.Fatal(err)
	}
	if c.Username != `a"b\c` || c.URI != "/x?a=1,2" || c.NC != "000000ff" || c.Algorithm != "MD5" {
		t.Fatalf("parsed %+v", c)
	}
	base := `realm="Vigil", nonce="n", uri="/", qop=auth, nc=00000001, cnonce="c", response="6629fae49393a05397450978507c4ef1"`
	for _, c := range []struct{ name, h, want string }{
		{"basic", "Basic YTpi", "not Digest"},
		{"no username", "Digest " + base, "username is missing"},
		{"empty username", `Digest username="", ` + base, "must not be empty"},
		{"no nc", `Digest username="u", realm="Vigil", nonce="n", uri="/", qop=auth, cnonce="c", response="6629fae49393a05397450978507c4ef1"`, "nc is missing"},
		{"bad nc", `Digest username="u", ` + strings.Replace(base, "00000001", "1", 1), "nc"},
		{"zero nc", `Digest username="u", ` + strings.Replace(base, "00000001", "00000000", 1), "nc"},
		{"qop auth-int", `Digest username="u", ` + strings.Replace(base, "qop=auth", "qop=auth-int", 1), "qop"},
		{"sha-256", `Digest username="u", algorithm=SHA-256, ` + base, "algorithm"},
		{"short response", `Digest username="u", ` + strings.Replace(base, "6629fae49393a05397450978507c4ef1", "66", 1), "response"},
		{"non-hex response", `Digest username="u", ` + strings.Replace(base, "6629fae49393a05397450978507c4ef1", "zz29fae49393a05397450978507c4ef1", 1), "response"},
		{"unterminated", `Digest username="u`, "unterminated"},
		{"no value", `Digest username`, "no value"},
		{"twice", `Digest username="u", username="v", ` + base, "twice"},
		{"junk after value", `Digest username="u" x, ` + base, "expected ','"},
		{"too long", "Digest username=\"" + strings.Repeat("a", 5000) + `", ` + base, "longer than"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := openrosa.ParseDigest(c.h)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestDigestNonces(t *testing.T) {
	d := openrosa.NewDigest([]byte("secret"))
	other := openrosa.NewDigest([]byte("other secret"))
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	n := d.Nonce(t0)
	if n == d.Nonce(t0) {
		t.Fatal("two nonces at the same time are equal")
	}
	for _, c := range []struct {
		name  string
		d     *openrosa.Digest
		nonce string
		at    time.Time
		want  int
	}{
		{"fresh", d, n, t0.Add(time.Minute), openrosa.NonceValid},
		{"at ttl", d, n, t0.Add(openrosa.DefaultNonceTTL), openrosa.NonceValid},
		{"expired", d, n, t0.Add(openrosa.DefaultNonceTTL + time.Second), openrosa.NonceStale},
		{"future", d, n, t0.Add(-2 * time.Minute), openrosa.NonceBad},
		{"other server", other, n, t0, openrosa.NonceBad},
		{"tampered", d, tamper(n), t0, openrosa.NonceBad},
		{"not base64", d, "dcd98b7102dd2f0e8b11d0f600bfb0c093!", t0, openrosa.NonceBad},
		{"short", d, "abcd", t0, openrosa.NonceBad},
	} {
		if got := c.d.CheckNonce(c.nonce, c.at); got != c.want {
			t.Errorf("%s: CheckNonce = %d, want %d", c.name, got, c.want)
		}
	}
	ch := d.Challenge("Vigil", true, t0)
	for _, part := range []string{`Digest realm="Vigil"`, `qop="auth"`, `nonce="`, `opaque="` + d.Opaque() + `"`, "algorithm=MD5", "stale=true"} {
		if !strings.Contains(ch, part) {
			t.Errorf("challenge %q lacks %q", ch, part)
		}
	}
	if strings.Contains(d.Challenge("Vigil", false, t0), "stale") {
		t.Error("fresh challenge says stale")
	}
}

// tamper changes one character of a nonce (in the middle: the timestamp's
// leading characters are all 'A').
func tamper(n string) string {
	b := []byte(n)
	i := len(b) / 2
	if b[i] == 'B' {
		b[i] = 'C'
	} else {
		b[i] = 'B'
	}
	return string(b)
}

func TestDigestReplay(t *testing.T) {
	d := openrosa.NewDigest([]byte("secret"))
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	n := d.Nonce(t0)
	steps := []struct {
		nc     uint64
		replay bool
	}{
		{1, false}, {1, true}, {3, false}, {2, false}, {2, true}, {3, true},
		{100, false}, {36, true} /* 64 or more below the highest */, {37, false}, {37, true}, {99, false},
	}
	for i, s := range steps {
		err := d.Use(n, s.nc, t0)
		if got := errors.Is(err, openrosa.ErrReplay); got != s.replay || (err != nil && !s.replay) {
			t.Errorf("step %d nc %d: err %v, want replay=%v", i, s.nc, err, s.replay)
		}
	}
	// The memory is bounded; expired nonces make room for new ones.
	d = openrosa.NewDigest([]byte("secret"))
	d.Max = 2
	for i := 0; i < 2; i++ {
		if err := d.Use(d.Nonce(t0), 1, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Use(d.Nonce(t0), 1, t0); !errors.Is(err, openrosa.ErrNonceMemoryFull) {
		t.Fatalf("third nonce: %v, want ErrNonceMemoryFull", err)
	}
	later := t0.Add(openrosa.DefaultNonceTTL + time.Minute)
	if err := d.Use(d.Nonce(later), 1, later); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
}

func TestDigestVerify(t *testing.T) {
	d := openrosa.NewDigest([]byte("secret"))
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	ha1 := openrosa.HA1("enum", openrosa.DigestRealm, "pw")
	n := d.Nonce(t0)
	cred := func(ha1, nonce, nc, uri, method string) openrosa.DigestCredentials {
		return openrosa.DigestCredentials{Username: "enum", Realm: openrosa.DigestRealm, Nonce: nonce, URI: uri, QOP: "auth",
			NC: nc, CNonce: "c0ffee", Opaque: d.Opaque(), Response: openrosa.DigestResponse(ha1, nonce, nc, "c0ffee", "auth", method, uri)}
	}
	wrongRealm := cred(ha1, n, "00000009", "/formList", "GET")
	wrongRealm.Realm = "other"
	wrongOpaque := cred(ha1, n, "00000009", "/formList", "GET")
	wrongOpaque.Opaque = "x"
	for _, c := range []struct {
		name string
		c    openrosa.DigestCredentials
		at   time.Time
		want error
	}{
		{"ok", cred(ha1, n, "00000001", "/formList", "GET"), t0, nil},
		{"replayed nc", cred(ha1, n, "00000001", "/formList", "GET"), t0, openrosa.ErrReplay},
		{"next nc", cred(ha1, n, "00000002", "/formList", "GET"), t0, nil},
		{"wrong password", cred(openrosa.HA1("enum", openrosa.DigestRealm, "nope"), n, "00000003", "/formList", "GET"), t0, openrosa.ErrDigestResponse},
		{"uri of another request", cred(ha1, n, "00000004", "/forms/x/form.xml", "GET"), t0, openrosa.ErrDigestURI},
		{"method changed", cred(ha1, n, "00000005", "/formList", "POST"), t0, openrosa.ErrDigestResponse},
		{"expired", cred(ha1, n, "00000006", "/formList", "GET"), t0.Add(10 * time.Minute), openrosa.ErrDigestStale},
		{"foreign nonce", cred(ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "/formList", "GET"), t0, openrosa.ErrDigestStale},
		{"realm", wrongRealm, t0, openrosa.ErrDigestRealm},
		{"opaque", wrongOpaque, t0, openrosa.ErrDigestOpaque},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := d.Verify(c.c, ha1, "GET", "/formList", c.at); !errors.Is(err, c.want) {
				t.Fatalf("Verify = %v, want %v", err, c.want)
			}
		})
	}
}

func TestSealHA1(t *testing.T) {
	k, err := crypt.New(map[string][]byte{"k1": make([]byte, 32)}, "k1")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := openrosa.SealHA1(k, "enum", "pw")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), openrosa.HA1("enum", openrosa.DigestRealm, "pw")) {
		t.Fatal("sealed HA1 holds the HA1 in clear")
	}
	if got, err := openrosa.OpenHA1(k, "enum", sealed); err != nil || got != openrosa.HA1("enum", openrosa.DigestRealm, "pw") {
		t.Fatalf("OpenHA1 = %q, %v", got, err)
	}
	if _, err := openrosa.OpenHA1(k, "other", sealed); err == nil {
		t.Fatal("an HA1 sealed for enum opened as other's")
	}
}

// FuzzParseDigest: the Authorization header parser never panics, and what
// it accepts satisfies its contract.
func FuzzParseDigest(f *testing.F) {
	f.Add(`Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"`)
	f.Add(`Digest username="a\"b", realm=Vigil, nonce=n, uri=/, qop=auth, nc=0000000a, cnonce=c, response=6629fae49393a05397450978507c4ef1, algorithm=MD5`)
	f.Add(`Digest username="`)
	f.Add(`Basic YTpi`)
	f.Fuzz(func(t *testing.T, h string) {
		c, err := openrosa.ParseDigest(h)
		if err != nil {
			return
		}
		if c.Username == "" || c.CNonce == "" || c.URI == "" || c.QOP != "auth" || len(c.Response) != 32 {
			t.Fatalf("accepted %q as %+v", h, c)
		}
		if _, err := openrosa.ParseNC(c.NC); err != nil {
			t.Fatalf("accepted %q with nc %q: %v", h, c.NC, err)
		}
	})
}
