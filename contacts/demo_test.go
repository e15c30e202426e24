package contacts_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestLoadDemo: serve --demo's contacts are fictitious (+000 numbers,
// marked demo, names saying so), get one demo broadcast, and are created
// once however often the server starts.
func TestLoadDemo(t *testing.T) {
	ctx := context.Background()
	cs, as, ch := contactsWithChannel(t, alerts.SMSSync, "demo gw")
	for run := 0; run < 2; run++ {
		n, err := cs.LoadDemo(ctx, "serve --demo", ch.ID)
		if err != nil || (run == 0 && n < 5) || (run == 1 && n != 0) {
			t.Fatalf("run %d: %d %v", run, n, err)
		}
	}
	list, err := cs.List(ctx, contacts.Filter{})
	if err != nil || len(list) < 5 {
		t.Fatalf("%d %v", len(list), err)
	}
	out, _ := as.Outbox(ctx, ch.ID)
	if len(out) != len(list) {
		t.Fatalf("demo broadcast: %d messages for %d contacts", len(out), len(list))
	}
	for _, m := range out {
		if !strings.HasPrefix(m.To, contacts.DemoPrefix) || !strings.Contains(m.Message, "DEMO") && !strings.Contains(m.Message, "DÉMO") {
			t.Fatalf("demo message to %q: %q", m.To, m.Message)
		}
	}
	for _, c := range list {
		if !c.Demo || !strings.Contains(c.NameMasked, "•") || !strings.HasPrefix(c.PhoneMasked, "+") {
			t.Fatalf("demo contact: %+v", c)
		}
	}
	bs, _ := cs.ListBroadcasts(ctx, 10)
	if len(bs) != 1 || bs[0].Reach.Queued != len(list) {
		t.Fatalf("broadcasts: %+v", bs)
	}
}

// TestListNamesWhereContactsAre: a contact given by coordinates is listed
// near the nearest notable place, in English and French; one given by a
// place name keeps it; one far from every place gets no name.
func TestListNamesWhereContactsAre(t *testing.T) {
	ctx := context.Background()
	cs, _, _ := contactsWithChannel(t, alerts.SMSSync, "gw")
	cs.Places = testutil.Places{G: testutil.Gazetteer(t, "name,lat,lon,admin1_name,country\nBunia,1.5594,30.2522,Ituri,COD\nIsiro,2.7739,27.6160,Haut-Uélé,COD\n")}
	rows, err := contacts.ParseCSV(strings.NewReader("phone,name,place,lat,lon\n+243810000001,A,,1.62,30.30\n+243810000002,B,Isiro,,\n+243810000003,C,,-20,10\n"), "c.csv", "verbal")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Import(ctx, "ana", rows); err != nil {
		t.Fatal(err)
	}
	list, err := cs.List(ctx, contacts.Filter{})
	if err != nil || len(list) != 3 {
		t.Fatalf("%d contacts, %v", len(list), err)
	}
	want := map[string][2]string{
		"+•••••••••001": {"near Bunia, Ituri (DR Congo)", "près de Bunia, Ituri (RD Congo)"},
		"+•••••••••002": {"Isiro, Haut-Uélé (DR Congo)", "Isiro, Haut-Uélé (RD Congo)"},
		"+•••••••••003": {"", ""},
	}
	for _, c := range list {
		w, ok := want[strings.TrimSuffix(c.PhoneMasked, " #"+cs.PhoneMAC("+243810000" + c.PhoneMasked[len(c.PhoneMasked)-9:len(c.PhoneMasked)-6])[:4])]
		if !ok {
			t.Fatalf("unexpected contact %q", c.PhoneMasked)
		}
		if c.Near != w[0] || c.NearFR != w[1] {
			t.Errorf("%s (place %q): near %q / %q, want %q / %q", c.PhoneMasked, c.Place, c.Near, c.NearFR, w[0], w[1])
		}
	}
}
