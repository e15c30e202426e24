package crypt_test

import (
	"bytes"
	"testing"

	"github.com/vigil-project/vigil/crypt"
)

// FuzzFromEnv parses arbitrary VIGIL_KEYS values: no panic, and a keyring
// that is accepted seals and opens.
func FuzzFromEnv(f *testing.F) {
	k := crypt.GenerateKey()
	f.Add("k1:" + k)
	f.Add("k2:" + k + ", k1:" + k)
	f.Add("k1:" + k + ",k1:" + k)
	f.Add(k)
	f.Add("a b:" + k)
	f.Add("k:AAAA")
	f.Add(",,:")
	f.Fuzz(func(t *testing.T, v string) {
		ring, err := crypt.FromEnv(v)
		if err != nil {
			return
		}
		c, err := ring.SealString("x", "aad")
		if err != nil {
			t.Fatalf("%q: accepted keyring cannot seal: %v", v, err)
		}
		if s, err := ring.OpenString(c, "aad"); err != nil || s != "x" {
			t.Fatalf("%q: accepted keyring does not open its own seal: %q %v", v, s, err)
		}
	})
}

// FuzzOpen opens arbitrary ciphertexts (stored columns are outside input
// once a database is restored from elsewhere): no panic, and nothing but a
// real seal opens.
func FuzzOpen(f *testing.F) {
	ring, err := crypt.New(map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)}, "k1")
	if err != nil {
		f.Fatal(err)
	}
	good, err := ring.Seal([]byte("reporter"), []byte("aad"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add([]byte{})
	f.Add([]byte{1, 255})
	f.Add([]byte{1, 2, 'k', '1'})
	f.Fuzz(func(t *testing.T, c []byte) {
		crypt.KeyID(c)
		pt, err := ring.Open(c, []byte("aad"))
		// Only seals of "reporter" exist (good is sealed afresh, with a new
		// random nonce, in each fuzzing worker, so compare plaintexts).
		if err == nil && string(pt) != "reporter" {
			t.Fatalf("forged ciphertext %x opened to %q", c, pt)
		}
	})
}
