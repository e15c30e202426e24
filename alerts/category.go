package alerts

import (
	"regexp"
)

// categoryRules are the words of an alert text (English or French, folded
// to lower case) that suggest each category, most specific first: a text
// that speaks of rape and of fleeing is sexual violence.
var categoryRules = []struct {
	category string
	re       *regexp.Regexp
}{
	{"sexual_violence", regexp.MustCompile(`\b(rape[sd]?|raping|sexual|viols?|violées?|violés?|agressions? sexuelles?|sexuelles?)\b`)},
	{"abduction", regexp.MustCompile(`\b(abduct\w*|kidnap\w*|hostages?|enlev\w*|enlèvements?|kidnapp\w*|otages?|rapt)\b`)},
	{"attack_on_civilians", regexp.MustCompile(`\b(civilians? (were )?(attacked|killed|shot|targeted)|attacks? on civilians|massacre\w*|civils? (ont été )?(attaqués?|tués?|visés?)|attaques? contre (des|les) civils)\b`)},
	{"looting_property", regexp.MustCompile(`\b(loot\w*|pillag\w*|pillé\w*|burn(ed|t|ing)? (houses|homes|villages?)|incendi\w*|maisons brûlées|vol de bétail|cattle (raid|theft)\w*)\b`)},
	{"displacement", regexp.MustCompile(`\b(flee\w*|fled|displaced|displacement|fuient|fuir|fuite|déplacés?|déplacements?)\b`)},
	{"armed_group_movement", regexp.MustCompile(`\b(armed men|fighters|gunmen|convoy|clashes|fighting|hommes armés|combattants|convoi|affrontements?|combats?)\b`)},
	{"threat_rumour", regexp.MustCompile(`\b(threat\w*|rumou?rs?|warn\w*|menaces?|menacés?|rumeurs?)\b`)},
}

// SuggestCategory suggests an incident category (one of Categories) for
// an alert text in English or French from its words: "other" when none
// matches. It is a suggestion a responder confirms or corrects.
func SuggestCategory(text string) string {
	low := []byte(text)
	for i, b := range low {
		if 'A' <= b && b <= 'Z' {
			low[i] = b + 'a' - 'A'
		}
	}
	s := string(low)
	for _, r := range categoryRules {
		if r.re.MatchString(s) {
			return r.category
		}
	}
	return "other"
}
