// Package crypt encrypts personal data at rest under a rotatable keyring.
//
// It encrypts personal data at rest (reporters' phone numbers and names,
// channel secrets, survey respondents' identities) with AES-256-GCM under a
// keyring of named keys, so keys can be rotated: new data is sealed with the
// active key, old data still opens with the key whose id it carries.
//
// Keys come from the environment variable VIGIL_KEYS ("id:base64key,…", the
// first is active) or from the file "keys.json" in the data directory,
// created with mode 0600 on first use. Ciphertext layout:
//
//	0x01 | len(id) | id | 12-byte nonce | AES-GCM(plaintext, aad)
//
// The aad ("additional authenticated data") binds a ciphertext to where it
// belongs (e.g. "alerts.reporter_phone"), so a value copied to another column
// does not decrypt.
package crypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// EnvVar holds keys instead of the key file when set.
const EnvVar = "VIGIL_KEYS"

// FileName is the key file's name in the data directory.
const FileName = "keys.json"

const version = 1

// Keyring is a set of AES-256 keys, one of them active. It is safe for
// concurrent use.
type Keyring struct {
	mu     sync.RWMutex
	active string
	keys   map[string]cipher.AEAD
	raw    map[string][]byte
	path   string // "" when keys came from the environment
}

type keyFile struct {
	Active string            `json:"active"`
	Keys   map[string]string `json:"keys"` // id -> base64 key
}

// New builds a keyring from raw 32-byte keys (for tests and embedding).
func New(keys map[string][]byte, active string) (*Keyring, error) {
	k := &Keyring{keys: map[string]cipher.AEAD{}, raw: map[string][]byte{}}
	for id, key := range keys {
		if err := k.add(id, key); err != nil {
			return nil, err
		}
	}
	if _, ok := k.keys[active]; !ok {
		return nil, fmt.Errorf("crypt: active key %q not in keyring", active)
	}
	k.active = active
	return k, nil
}

func (k *Keyring) add(id string, key []byte) error {
	if id == "" || len(id) > 64 || strings.ContainsAny(id, ":, \t\n") {
		return fmt.Errorf("crypt: bad key id %q (1–64 characters, no spaces, ':' or ',')", id)
	}
	if len(key) != 32 {
		return fmt.Errorf("crypt: key %q is %d bytes, want 32 (AES-256)", id, len(key))
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return err
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		return err
	}
	k.keys[id] = g
	k.raw[id] = append([]byte(nil), key...)
	return nil
}

// Load returns the keyring for a data directory: from VIGIL_KEYS if set,
// else from dir/keys.json, which is created (0600) with a fresh random key
// if it does not exist. A key file readable by group or others is refused.
func Load(dir string) (*Keyring, error) {
	if env := os.Getenv(EnvVar); env != "" {
		return FromEnv(env)
	}
	path := filepath.Join(dir, FileName)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("crypt: %w", err)
		}
		k := &Keyring{keys: map[string]cipher.AEAD{}, raw: map[string][]byte{}, path: path}
		if _, err := k.newKey(); err != nil {
			return nil, err
		}
		if err := k.save(true); err != nil {
			if errors.Is(err, os.ErrExist) { // another process created it first
				return Load(dir)
			}
			return nil, err
		}
		return k, nil
	}
	if err != nil {
		return nil, fmt.Errorf("crypt: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("crypt: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("crypt: %s is readable by other users (mode %v): run chmod 600 %s", path, st.Mode().Perm(), path)
	}
	var kf keyFile
	if err := json.Unmarshal(b, &kf); err != nil {
		return nil, fmt.Errorf("crypt: %s: %v", path, err)
	}
	raw := map[string][]byte{}
	for id, s := range kf.Keys {
		key, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("crypt: %s: key %q: %v", path, id, err)
		}
		raw[id] = key
	}
	k, err := New(raw, kf.Active)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	k.path = path
	return k, nil
}

// FromEnv parses "id:base64key,id2:base64key"; the first key is active.
func FromEnv(v string) (*Keyring, error) {
	raw := map[string][]byte{}
	active := ""
	for i, part := range strings.Split(v, ",") {
		id, b64, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("crypt: %s entry %d: want id:base64key", EnvVar, i+1)
		}
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("crypt: %s entry %d (%s): %v", EnvVar, i+1, id, err)
		}
		if _, dup := raw[id]; dup {
			return nil, fmt.Errorf("crypt: %s: key id %q twice", EnvVar, id)
		}
		raw[id] = key
		if i == 0 {
			active = id
		}
	}
	return New(raw, active)
}

// GenerateKey returns a fresh random 32-byte key, base64-encoded (for
// VIGIL_KEYS).
func GenerateKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func (k *Keyring) newKey() (string, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	id := "k" + time.Now().UTC().Format("20060102T150405")
	for n := 2; k.keys[id] != nil; n++ {
		id = fmt.Sprintf("k%s-%d", time.Now().UTC().Format("20060102T150405"), n)
	}
	if err := k.add(id, key); err != nil {
		return "", err
	}
	k.active = id
	return id, nil
}

// save writes the key file atomically with mode 0600.
func (k *Keyring) save(create bool) error {
	kf := keyFile{Active: k.active, Keys: map[string]string{}}
	for id, key := range k.raw {
		kf.Keys[id] = base64.StdEncoding.EncodeToString(key)
	}
	b, _ := json.MarshalIndent(kf, "", "  ")
	tmp, err := os.CreateTemp(filepath.Dir(k.path), ".keys-*.json")
	if err != nil {
		return fmt.Errorf("crypt: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	tmp.Close()
	if create {
		// Link fails if the file appeared meanwhile: never overwrite keys.
		if err := os.Link(tmp.Name(), k.path); err != nil {
			return err
		}
		return nil
	}
	return os.Rename(tmp.Name(), k.path)
}

// Rotate creates a new key, makes it active and saves the key file. Old keys
// stay so existing ciphertext still opens; re-encrypt stored data afterwards
// (vigil keys rotate does both). Keys from the environment cannot be rotated
// here: add a new first entry to VIGIL_KEYS instead.
func (k *Keyring) Rotate() (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.path == "" {
		return "", fmt.Errorf("crypt: keys come from %s: put a new key first in that variable to rotate", EnvVar)
	}
	id, err := k.newKey()
	if err != nil {
		return "", err
	}
	if err := k.save(false); err != nil {
		return "", err
	}
	return id, nil
}

// Active returns the id of the key new data is sealed with.
func (k *Keyring) Active() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.active
}

// IDs lists the key ids, sorted.
func (k *Keyring) IDs() []string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	var ids []string
	for id := range k.keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// MACKey derives a 32-byte key for keyed hashes (HMAC-SHA256) for one
// purpose from the keyring's first key by id, so it does not change when
// keys are rotated (a rotation adds keys), and every server sharing the
// keyring derives the same one. Keys for different purposes are unrelated.
func (k *Keyring) MACKey(purpose string) []byte {
	ids := k.IDs()
	k.mu.RLock()
	raw := k.raw[ids[0]]
	k.mu.RUnlock()
	m := hmac.New(sha256.New, raw)
	m.Write([]byte("vigil mac key\x00" + purpose))
	return m.Sum(nil)
}

// Seal encrypts plaintext under the active key, authenticating aad.
func (k *Keyring) Seal(plaintext, aad []byte) ([]byte, error) {
	k.mu.RLock()
	id, g := k.active, k.keys[k.active]
	k.mu.RUnlock()
	return seal(id, g, plaintext, aad)
}

// SealWith encrypts plaintext under the key named id (active or not), e.g.
// to leave a value that shows later which key that id stood for.
func (k *Keyring) SealWith(id string, plaintext, aad []byte) ([]byte, error) {
	k.mu.RLock()
	g := k.keys[id]
	k.mu.RUnlock()
	if g == nil {
		return nil, fmt.Errorf("crypt: key %q not in the keyring", id)
	}
	return seal(id, g, plaintext, aad)
}

func seal(id string, g cipher.AEAD, plaintext, aad []byte) ([]byte, error) {
	out := make([]byte, 0, 2+len(id)+12+len(plaintext)+16)
	out = append(out, version, byte(len(id)))
	out = append(out, id...)
	nonce := make([]byte, 12)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return g.Seal(out, nonce, plaintext, aad), nil
}

// ErrDecrypt is returned for ciphertext that is malformed, was sealed with
// another aad, or was tampered with.
var ErrDecrypt = errors.New("crypt: cannot decrypt (wrong key, wrong context or tampered data)")

// KeyID returns the id of the key ciphertext was sealed with.
func KeyID(ciphertext []byte) (string, error) {
	if len(ciphertext) < 2 || ciphertext[0] != version || len(ciphertext) < 2+int(ciphertext[1])+12+16 {
		return "", ErrDecrypt
	}
	return string(ciphertext[2 : 2+int(ciphertext[1])]), nil
}

// Open decrypts ciphertext sealed by Seal with the same aad.
func (k *Keyring) Open(ciphertext, aad []byte) ([]byte, error) {
	return k.OpenAppend(nil, ciphertext, aad)
}

// OpenAppend is Open appending the plaintext to dst, in its spare
// capacity when it has enough: a caller opening many values one after
// the other (a form's sealed answers) reuses one buffer instead of
// allocating one per value. dst's contents past len(dst) are overwritten
// whether or not the value opens.
func (k *Keyring) OpenAppend(dst, ciphertext, aad []byte) ([]byte, error) {
	id, err := KeyID(ciphertext)
	if err != nil {
		return nil, err
	}
	k.mu.RLock()
	g := k.keys[id]
	k.mu.RUnlock()
	if g == nil {
		return nil, fmt.Errorf("crypt: key %q not in the keyring (was it removed after rotation?)", id)
	}
	rest := ciphertext[2+len(id):]
	pt, err := g.Open(dst, rest[:12], rest[12:], aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// SealString is Seal for strings; the empty string seals to nil (nothing
// stored).
func (k *Keyring) SealString(s, aad string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	return k.Seal([]byte(s), []byte(aad))
}

// OpenString is Open for strings; nil opens to "".
func (k *Keyring) OpenString(c []byte, aad string) (string, error) {
	if len(c) == 0 {
		return "", nil
	}
	b, err := k.Open(c, []byte(aad))
	return string(b), err
}
