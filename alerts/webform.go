package alerts

import (
	"context"
	"maps"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
)

// The public web form (/intake/web/{key}): its wording, and what a post of
// it does: the client's budget, the form's CSRF token, then the alert.

// WebFormText is the public alert form's wording in one language.
type WebFormText struct {
	Title, Message, Location, LocationHint, Phone, Name, Privacy, Send, Thanks, Expired string
	Busy                                                                                string
	Closed                                                                              string // the link names no open form
	// TooLarge and Unreadable answer a post whose body cannot be read: over
	// MaxBodyBytes, or not a form (what was typed cannot be kept).
	TooLarge, Unreadable string
	// Fields name the form's fields in a refusal as their labels ask for
	// them ("What is happening: is empty", « Où : fait 5000 octets… »), by
	// the field the refusal names.
	Fields map[string]string
	// Intro, under the title, says what the form is for ("" for none).
	Intro string
	// Tipline is the wording a tipline channel's form shows instead of
	// Title, Intro, Message and Thanks (ForTipline).
	Tipline TiplineFormText
}

// TiplineFormText is what a tipline channel's form says differently:
// MessageField names its message box in a refusal as its label Message
// asks for it ("What you heard or saw: is empty"); NoSMSIntro is Intro
// when no answer can be sent by SMS (ForTiplineNoSMS).
type TiplineFormText struct{ Title, Intro, Message, Thanks, MessageField, NoSMSIntro string }

// ForTipline is t as a tipline channel's form says it: for sending a
// rumour or a message heard or seen so that the mission checks it, the
// answer sent by SMS to the number given (integrity answers a tipline's
// senders through a Twilio channel with its sending settings or an
// SMSSync channel: Reply); its refusals name the message box as its
// label does.
func (t WebFormText) ForTipline() WebFormText {
	t.Title, t.Intro, t.Message, t.Thanks = t.Tipline.Title, t.Tipline.Intro, t.Tipline.Message, t.Tipline.Thanks
	t.Fields = maps.Clone(t.Fields)
	t.Fields["message"] = t.Tipline.MessageField
	return t
}

// ForTiplineNoSMS is ForTipline when the server cannot answer by SMS
// (AnswersBySMS false): its introduction promises no SMS answer and says
// that none will come.
func (t WebFormText) ForTiplineNoSMS() WebFormText {
	t = t.ForTipline()
	t.Intro = t.Tipline.NoSMSIntro
	return t
}

// WebFormTexts is the public alert form's wording in English and French.
var WebFormTexts = map[string]WebFormText{
	"en": {Title: "Report an alert", Message: "What is happening?", Location: "Where? (village, landmark or coordinates)",
		LocationHint: "For example: Djugu market, or 1°17′S 29°30′E.", Phone: "Your phone number (optional)", Name: "Your name (optional)",
		Privacy: "Your number and name are encrypted and seen only by the protection team, to call you back.",
		Send:    "Send", Thanks: "Thank you. Your alert was received. Reference", Expired: "The form expired. Please send again.",
		Busy:       "Too many reports were sent from here in a short time. Your text is kept below: please wait a few minutes and send again.",
		Closed:     "This alert form is not open: the link may be wrong, or the form was closed. Ask the mission for the form's link.",
		TooLarge:   "Your alert is too long to be sent (more than 64 KB). Please shorten it and send it again.",
		Unreadable: "The form could not be read. Please write your alert again and send it.",
		Fields:     map[string]string{"message": "What is happening", "location": "Where", "from": "Your phone number", "name": "Your name"},
		Tipline: TiplineFormText{"Send a rumour", "Heard or seen a message, a rumour or news you doubt? Send it here so that the mission checks it. If you give your phone number, the answer is sent to you by SMS.",
			"What did you hear or see?", "Thank you. Your message was received and will be checked. Reference", "What you heard or saw",
			"Heard or seen a message, a rumour or news you doubt? Send it here so that the mission checks it. The mission cannot answer you by SMS for now: it will check what you send without replying to you."}},
	"fr": {Title: "Signaler une alerte", Message: "Que se passe-t-il\u202f?", Location: "Où\u202f? (village, repère ou coordonnées)",
		LocationHint: "Par exemple\u00a0: marché de Djugu, ou 1°17′S 29°30′E.", Phone: "Votre numéro de téléphone (facultatif)", Name: "Votre nom (facultatif)",
		Privacy: "Votre numéro et votre nom sont chiffrés et vus seulement par l’équipe de protection, pour vous rappeler.",
		Send:    "Envoyer", Thanks: "Merci. Votre alerte a été reçue. Référence", Expired: "Le formulaire a expiré. Veuillez renvoyer.",
		Busy:       "Trop de signalements ont été envoyés d’ici en peu de temps. Votre texte est conservé ci-dessous\u00a0: attendez quelques minutes puis renvoyez.",
		Closed:     "Ce formulaire d’alerte n’est pas ouvert\u00a0: le lien est peut-être erroné, ou le formulaire a été fermé. Demandez à la mission le lien du formulaire.",
		TooLarge:   "Votre alerte est trop longue pour être envoyée (plus de 64 Ko). Raccourcissez-la puis renvoyez-la.",
		Unreadable: "Le formulaire n’a pas pu être lu. Écrivez de nouveau votre alerte puis envoyez-la.",
		Fields:     map[string]string{"message": "Ce qui se passe", "location": "Où", "from": "Votre numéro de téléphone", "name": "Votre nom"},
		Tipline: TiplineFormText{"Transmettre une rumeur", "Vous avez entendu ou vu un message, une rumeur ou une information dont vous doutez\u202f? Envoyez-le ici pour que la mission le vérifie. Si vous donnez votre numéro de téléphone, la réponse vous sera envoyée par SMS.",
			"Qu’avez-vous entendu ou vu\u202f?", "Merci. Votre message a été reçu\u202f; il sera vérifié. Référence", "Ce que vous avez entendu ou vu",
			"Vous avez entendu ou vu un message, une rumeur ou une information dont vous doutez\u202f? Envoyez-le ici pour que la mission le vérifie. La mission ne peut pas vous répondre par SMS pour l’instant\u00a0: elle vérifiera ce que vous envoyez sans vous répondre."}},
}

// WebFormBusy is the web form's message while the database cannot take
// the alert, by language.
var WebFormBusy = map[string]string{
	"en": "Your alert was not received: the service is busy. Please press Send again in a few minutes.",
	"fr": "Votre alerte n’a pas été reçue\u00a0: le service est occupé. Veuillez appuyer de nouveau sur Envoyer dans quelques minutes.",
}

// WebFormPost is a post of the public web form.
type WebFormPost struct {
	IP         string // the client's address (its budget of posts)
	CSRFCookie string // the form cookie's token ("" for none)
	CSRF       string // the token the form carries
	Lang       string // the page's language (en or fr)
	In         Inbound
}

// FormOutcome is why a post of the web form was not received.
type FormOutcome int

// The refusals of a web form post.
const (
	FormThrottled FormOutcome = iota + 1 // too many posts from the client or to the channel
	FormExpired                          // the form's CSRF token is missing or wrong
	FormInvalid                          // the alert is refused (Msg says why, in the form's language)
	FormBusy                             // the store cannot take it now
)

// FormRefusal is a post the form answers with its page again, what was
// typed kept, and Msg; Wait, when set, is how long to wait before sending
// again.
type FormRefusal struct {
	Outcome FormOutcome
	Msg     string
	Wait    time.Duration
}

// webFormRetry is how long the form asks to wait while the store is busy.
const webFormRetry = 5 * time.Second

// PostWebForm receives a post of the web form on channel c: the client's
// budget is checked first (AdmitWebPost), then the form's token, then the
// alert is stored. It returns the alert's reference, or the refusal the
// form shows; err is an unexpected failure.
func (s *Service) PostWebForm(ctx context.Context, c Channel, p WebFormPost) (ref int64, no *FormRefusal, err error) {
	t := WebFormTexts[p.Lang]
	if c.Tipline {
		t = t.ForTipline()
	}
	if ok, wait := s.AdmitWebPost(ctx, p.IP, c.ID); !ok {
		return 0, &FormRefusal{FormThrottled, t.Busy, max(wait, time.Second)}, nil
	}
	if !auth.CheckCSRF(p.CSRFCookie, p.CSRF) {
		return 0, &FormRefusal{Outcome: FormExpired, Msg: t.Expired}, nil
	}
	a, err := s.Receive(ctx, c, p.In)
	switch k, _ := apperr.KindOf(err); {
	case err == nil:
		return a.ID, nil, nil
	case apperr.IsInvalid(err):
		return 0, &FormRefusal{Outcome: FormInvalid, Msg: t.refusal(apperr.As(err), p.Lang)}, nil
	case k == apperr.KindUnavailable:
		return 0, &FormRefusal{FormBusy, WebFormBusy[p.Lang], webFormRetry}, nil
	}
	return 0, nil, err
}

// refusal is e as the form says it in lang: a catalog message in lang,
// the field it names by the form's own words for it, as its label asks
// for it ("Où : fait 5000 octets, la limite est 1000"); else e's English.
func (t WebFormText) refusal(e *apperr.Error, lang string) string {
	m, ok := e.MsgSaid()
	if !ok {
		return e.Error()
	}
	label := t.Fields[e.Field]
	if e.Field == "" || e.Whole || label == "" {
		if whole, ok := e.Said(); ok {
			return whole.Text(lang)
		}
		return e.Error()
	}
	sep := ": "
	if lang == "fr" {
		sep = "\u00a0: "
	}
	return label + sep + m.Text(lang)
}
