package alerts

import (
	"github.com/vigil-project/vigil/integrity/langid"
)

// What the service itself texts a reporter back (Twilio's TwiML answer):
// people read it on their phone, in the language they use.

// ReporterText is the service's own answers to a reporter in one language.
type ReporterText struct {
	Received string // the message is stored
	Busy     string // the store could not take it: send it again
	OptedOut string // the message was an opt-out reply (STOP, ARRET…)
	Closed   string // the channel is disabled: nothing was stored
}

// ReporterTexts are the answers by language ("en", "fr").
var ReporterTexts = map[string]ReporterText{
	"en": {
		Received: "Message received. Thank you.",
		Busy:     "Not received: the service is busy. Please send your message again in a few minutes.",
		OptedOut: "You will receive no more messages from this service.",
		Closed:   "Not received: this number no longer takes alerts. Please reach the mission another way.",
	},
	"fr": {
		Received: "Message reçu. Merci.",
		Busy:     "Message non reçu\u00a0: le service est occupé. Veuillez renvoyer votre message dans quelques minutes.",
		OptedOut: "Vous ne recevrez plus de messages de ce service.",
		Closed:   "Message non reçu\u00a0: ce numéro ne reçoit plus d’alertes. Veuillez joindre la mission par un autre moyen.",
	},
}

// ReplyLangs are the languages the service answers reporters in.
var ReplyLangs = []string{"en", "fr"}

func replyLang(l string) bool { return l == "en" || l == "fr" }

// ReplyLang is the language of the service's answer to a reporter who
// sent message on c: the channel's language when it has one (Channel.Lang),
// else the language of the opt-out word the message was (o; nil: none), else the
// message's language when it is English or French (integrity/langid),
// else the mission's (Service.Lang), else English.
func (s *Service) ReplyLang(c Channel, message string, o *OptOut) string {
	if replyLang(c.Lang) {
		return c.Lang
	}
	if o != nil && replyLang(o.Lang) {
		return o.Lang
	}
	if l := langid.Detect(message); replyLang(l) {
		return l
	}
	if replyLang(s.Lang) {
		return s.Lang
	}
	return "en"
}

// ReporterReply is the answer to the reporter of a, received on c: an
// opt-out confirmed, or the message received, in ReplyLang.
func (s *Service) ReporterReply(c Channel, a *Alert) string {
	t := ReporterTexts[s.ReplyLang(c, a.Message, a.OptOut)]
	if a.OptOut != nil {
		return t.OptedOut
	}
	return t.Received
}
