package contacts

import (
	"context"
	"fmt"
)

// DemoPrefix starts every demo number: +000 is no country's code, so a
// demo number can never reach a real phone.
const DemoPrefix = "+000"

// demoContacts are the fictitious contacts of serve --demo, around Bunia
// and Djugu (Ituri).
var demoContacts = []struct {
	name, lang string
	groups     []string
	lat, lon   float64
}{
	{"DEMO — fictitious CAN focal point, Djugu", "fr", []string{"demo", "can-djugu"}, 1.9236, 30.5019},
	{"DEMO — fictitious CAN member, Fataki", "sw", []string{"demo", "can-djugu"}, 2.0167, 30.3167},
	{"DEMO — fictitious women's group leader, Bunia", "fr", []string{"demo", "leaders"}, 1.5660, 30.2520},
	{"DEMO — fictitious community radio, Bunia", "fr", []string{"demo", "radio"}, 1.5594, 30.2436},
	{"DEMO — fictitious youth leader, Mongbwalu", "ln", []string{"demo", "leaders"}, 1.9500, 30.0333},
	{"DEMO — fictitious NGO liaison, Bunia", "en", []string{"demo", "liaison"}, 1.5700, 30.2600},
}

// LoadDemo creates the demo contacts (numbers +000 000 000 00N, marked
// demo) and, when channelID is a gateway, one demo broadcast to them; it
// does nothing when demo contacts exist. It returns the contacts created.
func (s *Service) LoadDemo(ctx context.Context, actor string, channelID int64) (int, error) {
	cs, err := s.Store.Contacts(ctx, Filter{Group: "demo"})
	if err != nil {
		return 0, err
	}
	for _, c := range cs {
		if c.Demo {
			return 0, nil
		}
	}
	now := s.now()
	var batch []*Contact
	for i, d := range demoContacts {
		la, lo := d.lat, d.lon
		c, err := s.prepare(ctx, actor, "demo", Input{Phone: fmt.Sprintf("%s 000 000 %03d", DemoPrefix, i+1), Name: d.name, Language: d.lang,
			Groups: d.groups, Lat: &la, Lon: &lo, ConsentHow: "DEMO — fictitious, no consent needed"}, now, nil)
		if err != nil {
			return 0, err
		}
		c.Demo = true
		batch = append(batch, c)
	}
	if err := s.Store.CreateContacts(ctx, actor, batch); err != nil {
		return 0, err
	}
	if channelID > 0 {
		_, err = s.Send(ctx, actor, BroadcastRequest{ChannelID: channelID, Audience: Audience{Group: "demo"}, Messages: map[string]string{
			"fr": "DÉMO (fictif)\u00a0: réunion de sécurité communautaire demain à 10 h à la mairie.",
			"en": "DEMO (fictitious): community security meeting tomorrow at 10:00 at the town hall.",
			"sw": "DEMO (si halisi): mkutano wa usalama wa jamii kesho saa nne asubuhi."}})
	}
	return len(batch), err
}
