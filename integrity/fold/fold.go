// Package fold normalises text for matching: lower case, Latin accents
// removed, Arabic diacritics and tatweel removed, common ligatures expanded.
package fold

import (
	"strings"
	"unicode"
)

var latin = map[rune]string{}

func init() {
	pairs := []string{
		"aàáâãäåāăąǎȁȃạảấầẩẫậắằẳẵặ", "cçćĉċč", "dďđ", "eèéêëēĕėęěȅȇẹẻẽếềểễệ",
		"gĝğġģ", "hĥħ", "iìíîïĩīĭįıǐȉȋỉị", "jĵ", "kķ", "lĺļľŀł", "nñńņňŉ",
		"oòóôõöøōŏőǒȍȏọỏốồổỗộớờởỡợơ", "rŕŗř", "sśŝşšș", "tţťŧț", "uùúûüũūŭůűųǔưụủứừửữự",
		"wŵ", "yýÿŷỳỹ", "zźżž",
	}
	for _, p := range pairs {
		rs := []rune(p)
		for _, r := range rs[1:] {
			latin[r] = string(rs[0])
		}
	}
	latin['æ'] = "ae"
	latin['œ'] = "oe"
	latin['ß'] = "ss"
	latin['’'] = "'"
	latin['‘'] = "'"
	latin['ʼ'] = "'"
	// Arabic: alef variants to bare alef, alef maqsura to yeh, teh marbuta to heh
	for _, r := range "أإآٱ" {
		latin[r] = "ا"
	}
	latin['ى'] = "ي"
	latin['ة'] = "ه"
}

// Rune folds one lower-cased rune; it returns "" for a rune to drop
// (combining marks, Arabic harakat, tatweel) and the rune itself when there
// is nothing to fold.
func Rune(r rune) (string, bool) {
	if s, ok := latin[r]; ok {
		return s, true
	}
	if unicode.Is(unicode.Mn, r) || r == 'ـ' {
		return "", true
	}
	return "", false
}

// String lower-cases s and folds every rune.
func String(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if f, ok := Rune(r); ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
