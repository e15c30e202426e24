package auth

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	const pw = "correct horse battery staple"
	h1, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword(pw)
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h1, pw) {
		t.Fatalf("hash %q", h1)
	}
	if !VerifyPassword(h1, pw) || !VerifyPassword(h2, pw) {
		t.Fatal("right password rejected")
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple", pw + " "} {
		if VerifyPassword(h1, wrong) {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	// Any valid parameters verify (a hash made with other settings).
	parts := strings.Split(h1, "$")
	cases := []struct {
		name, hash string
	}{
		{"empty", ""},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"},
		{"argon2i", strings.Replace(h1, "argon2id", "argon2i", 1)},
		{"version", strings.Replace(h1, "v=19", "v=16", 1)},
		{"huge memory", strings.Replace(h1, "m=19456", "m=4194304", 1)},
		{"zero passes", strings.Replace(h1, "t=2", "t=0", 1)},
		{"zero lanes", strings.Replace(h1, "p=1", "p=0", 1)},
		{"trailing junk in params", strings.Replace(h1, "p=1", "p=1x", 1)},
		{"short salt", "$" + strings.Join([]string{parts[1], parts[2], parts[3], "YWJj", parts[5]}, "$")},
		{"bad base64", "$" + strings.Join([]string{parts[1], parts[2], parts[3], parts[4], "!!!!"}, "$")},
		{"truncated key", h1[:len(h1)-10]},
		{"extra field", h1 + "$x"},
	}
	for _, c := range cases {
		if VerifyPassword(c.hash, pw) {
			t.Errorf("%s: malformed hash %q verified", c.name, c.hash)
		}
	}
}

// FuzzParseHash feeds arbitrary stored hashes to the PHC parser: it must
// not panic, and what it accepts must be within the bounds.
func FuzzParseHash(f *testing.F) {
	h, _ := HashPassword("seed password")
	f.Add(h)
	f.Add("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$MDEyMzQ1Njc4OWFiY2RlZg")
	f.Add("$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHQ$MDEyMzQ1Njc4OWFiY2RlZg")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := parseHash(s)
		if err != nil {
			return
		}
		if a.m > 256*1024 || a.t > 16 || a.t < 1 || a.p < 1 || len(a.salt) < 8 || len(a.key) < 16 {
			t.Fatalf("accepted out-of-bounds parameters %+v from %q", a, s)
		}
	})
}

// TestInputChecks: the password policy and the user-name rule, each on
// inputs it must accept and inputs it must refuse.
func TestInputChecks(t *testing.T) {
	for _, c := range []struct {
		name     string
		check    func(string) error
		ok, fail []string
	}{
		{"CheckPasswordPolicy", CheckPasswordPolicy,
			[]string{"1234567890", "éééééééééé" /* 10 characters, 20 bytes */, strings.Repeat("x", MaxPasswordLen)},
			[]string{"", "123456789", "ééééé", strings.Repeat("x", MaxPasswordLen+1), "bad utf8 \xff\xfe here"}},
		{"ValidateName", ValidateName,
			[]string{"alice", "a.b_c-d@unmiss", "A1", strings.Repeat("a", 64)},
			[]string{"", ".alice", "-x", "al ice", "alice\n", "élise", strings.Repeat("a", 65)}},
	} {
		for _, in := range c.ok {
			if err := c.check(in); err != nil {
				t.Errorf("%s(%.20q) = %v, want ok", c.name, in, err)
			}
		}
		for _, in := range c.fail {
			if err := c.check(in); err == nil {
				t.Errorf("%s(%.20q) = nil, want an error", c.name, in)
			}
		}
	}
}

func TestCSRFCompare(t *testing.T) {
	tok := NewCSRFToken()
	if len(tok) < 40 || tok == NewCSRFToken() {
		t.Fatalf("token %q not random enough", tok)
	}
	cases := []struct {
		exp, got string
		ok       bool
	}{
		{tok, tok, true},
		{tok, tok[:len(tok)-1], false},
		{tok, "", false},
		{"", "", false},
		{tok, strings.ToUpper(tok), tok == strings.ToUpper(tok)},
	}
	for _, c := range cases {
		if CheckCSRF(c.exp, c.got) != c.ok {
			t.Errorf("CheckCSRF(%q, %q) != %v", c.exp, c.got, c.ok)
		}
	}
}

func TestLimiter(t *testing.T) {
	ctx := context.Background()
	l := NewLimiter(3, time.Minute)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		at        time.Duration
		key       string
		fail      bool
		reset     bool
		wantAllow bool
	}{
		{0, "a", true, false, true},
		{time.Second, "a", true, false, true},
		{2 * time.Second, "a", true, false, true},
		{3 * time.Second, "a", false, false, false}, // 3 failures: locked
		{3 * time.Second, "b", false, false, true},  // other key unaffected
		{59 * time.Second, "a", false, false, false},
		{61 * time.Second, "a", false, false, true}, // window over
		{62 * time.Second, "a", true, false, true},
		{63 * time.Second, "a", false, true, true}, // success resets
	}
	for i, s := range steps {
		now := t0.Add(s.at)
		if s.reset {
			l.Reset(ctx, s.key)
		}
		if got, _ := l.Allow(ctx, s.key, now); got != s.wantAllow {
			t.Fatalf("step %d: Allow(%s) = %v, want %v", i, s.key, got, s.wantAllow)
		}
		if s.fail {
			l.Fail(ctx, s.key, now)
		}
	}
}

// TestLimiterFullKeepsLocks: an attacker who sends guesses for 100,000
// made-up names fills the in-memory limiter; the lockout of a real account
// must survive that (it used to be cleared with everything else), while
// memory stays bounded.
func TestLimiterFullKeepsLocks(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name    string
		maxKeys int
	}{{"default bound", 0}, {"small bound", 50}} {
		t.Run(c.name, func(t *testing.T) {
			l := NewLimiter(5, 15*time.Minute)
			l.MaxKeys = c.maxKeys
			bound := c.maxKeys
			if bound == 0 {
				bound = DefaultMaxKeys
			}
			for i := 0; i < 5; i++ {
				l.Fail(ctx, "ana\x0010.0.0.9", t0)
			}
			l.Fail(ctx, "vic\x0010.0.0.9", t0) // one failure: not locked
			for i := 0; i < bound+10; i++ {
				l.Fail(ctx, fmt.Sprintf("made-up-%d\x0010.0.0.66", i), t0.Add(time.Second))
			}
			if ok, _ := l.Allow(ctx, "ana\x0010.0.0.9", t0.Add(2*time.Second)); ok {
				t.Fatal("the locked account was released by a flood of made-up names")
			}
			if n := l.Len(); n > bound {
				t.Fatalf("limiter holds %d keys, bound %d", n, bound)
			}
			// The window still ends.
			if ok, _ := l.Allow(ctx, "ana\x0010.0.0.9", t0.Add(15*time.Minute)); !ok {
				t.Fatal("the lockout outlived its window")
			}
		})
	}
}

func TestRoles(t *testing.T) {
	for _, c := range []struct {
		r, min Role
		ok     bool
	}{
		{Admin, Viewer, true}, {Viewer, Admin, false}, {Analyst, Responder, true}, {Responder, Analyst, false},
		{Viewer, Viewer, true}, {"", Viewer, false}, {Admin, "", false}, {"root", Viewer, false},
	} {
		if c.r.AtLeast(c.min) != c.ok {
			t.Errorf("%q.AtLeast(%q) != %v", c.r, c.min, c.ok)
		}
	}
	if _, err := ParseRole("superuser"); err == nil {
		t.Error("ParseRole accepted superuser")
	}
}
