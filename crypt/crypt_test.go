package crypt_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/crypt"
)

// loadFresh loads the key ring of a new directory with no key in the
// environment, so Load creates the key file there; it returns the ring and
// the directory.
func loadFresh(t *testing.T) (*crypt.Keyring, string) {
	t.Helper()
	t.Setenv(crypt.EnvVar, "")
	dir := t.TempDir()
	k, err := crypt.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return k, dir
}

func TestLoadCreatesKeyFile0600(t *testing.T) {
	k, dir := loadFresh(t)
	st, err := os.Stat(filepath.Join(dir, crypt.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
	}
	c, err := k.Seal([]byte("+243 812 345 678"), []byte("alerts.reporter_phone"))
	if err != nil {
		t.Fatal(err)
	}
	// The whole number, not a 3-byte piece of it: random ciphertext holds
	// any given 3 bytes by chance about once in 400,000 seals (CI met it).
	if bytes.Contains(c, []byte("+243 812 345 678")) || bytes.Contains(c, []byte("812 345")) {
		t.Fatal("plaintext visible in ciphertext")
	}
	// A second load reads the same key.
	k2, err := crypt.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := k2.Open(c, []byte("alerts.reporter_phone"))
	if err != nil || string(p) != "+243 812 345 678" {
		t.Fatalf("%q %v", p, err)
	}
	// Wrong context or tampering fails.
	if _, err := k2.Open(c, []byte("alerts.reporter_name")); !errors.Is(err, crypt.ErrDecrypt) {
		t.Fatalf("wrong aad: %v", err)
	}
	c[len(c)-1] ^= 1
	if _, err := k2.Open(c, []byte("alerts.reporter_phone")); !errors.Is(err, crypt.ErrDecrypt) {
		t.Fatalf("tampered: %v", err)
	}
	for _, bad := range [][]byte{nil, {1}, {2, 0}, bytes.Repeat([]byte{1}, 40)} {
		if _, err := k2.Open(bad, nil); err == nil {
			t.Errorf("opened garbage %v", bad)
		}
	}
}

func TestRefusesWorldReadableKeyFile(t *testing.T) {
	_, dir := loadFresh(t)
	os.Chmod(filepath.Join(dir, crypt.FileName), 0o644)
	if _, err := crypt.Load(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("err = %v", err)
	}
}

func TestRotate(t *testing.T) {
	k, dir := loadFresh(t)
	old := k.Active()
	c1, _ := k.Seal([]byte("name"), nil)
	id, err := k.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	if id == old || k.Active() != id {
		t.Fatalf("active %s after rotate, old %s", k.Active(), old)
	}
	c2, _ := k.Seal([]byte("name"), nil)
	if got, _ := crypt.KeyID(c2); got != id {
		t.Fatalf("new data sealed with %s", got)
	}
	k2, err := crypt.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if k2.Active() != id || len(k2.IDs()) != 2 {
		t.Fatalf("reloaded: active %s ids %v", k2.Active(), k2.IDs())
	}
	for _, c := range [][]byte{c1, c2} {
		if p, err := k2.Open(c, nil); err != nil || string(p) != "name" {
			t.Fatalf("%q %v", p, err)
		}
	}
}

func TestEnvKeys(t *testing.T) {
	a, b := crypt.GenerateKey(), crypt.GenerateKey()
	t.Setenv(crypt.EnvVar, "new:"+a+",old:"+b)
	k, err := crypt.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if k.Active() != "new" {
		t.Fatal(k.Active())
	}
	if _, err := k.Rotate(); err == nil {
		t.Fatal("rotating env keys should fail")
	}
	for _, bad := range []string{"nokey", "x:!!!", "x:" + a[:10], "a:" + a + ",a:" + b} {
		if _, err := crypt.FromEnv(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestMACKey: servers sharing a keyring derive the same key, purposes get
// unrelated keys, and a rotation does not change it.
func TestMACKey(t *testing.T) {
	k, dir := loadFresh(t)
	again, err := crypt.Load(dir) // a second server on the same keys
	if err != nil {
		t.Fatal(err)
	}
	a := k.MACKey("audit")
	if len(a) != 32 || string(a) != string(again.MACKey("audit")) {
		t.Fatal("two loads of one keyring derive different keys")
	}
	if string(a) == string(k.MACKey("limit")) {
		t.Fatal("two purposes derive the same key")
	}
	other, err := crypt.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if string(a) == string(other.MACKey("audit")) {
		t.Fatal("two keyrings derive the same key")
	}
	if _, err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	if string(a) != string(k.MACKey("audit")) {
		t.Fatal("rotation changed the derived key")
	}
}

// TestOpenAppend: OpenAppend opens what Seal sealed as Open does, appended
// to dst in its spare capacity (a buffer reused from one value to the
// next allocates nothing), and refuses a wrong context as Open does.
func TestOpenAppend(t *testing.T) {
	t.Setenv(crypt.EnvVar, "")
	k, err := crypt.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 64)
	for _, plain := range []string{"first answers", "second, longer answers", ""} {
		sealed, err := k.Seal([]byte(plain), []byte("ctx"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := k.OpenAppend(buf[:0], sealed, []byte("ctx"))
		if err != nil || string(got) != plain || (len(got) > 0 && &got[0] != &buf[:1][0]) {
			t.Errorf("OpenAppend = %q, %v; want %q in the buffer given", got, err, plain)
		}
		if _, err := k.OpenAppend(buf[:0], sealed, []byte("other")); !errors.Is(err, crypt.ErrDecrypt) {
			t.Errorf("wrong context: %v, want ErrDecrypt", err)
		}
	}
}
