package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
)

// TestWebFormThrottle: the public web form used to take 100 anonymous posts
// in half a second (79 incidents). A script from one address now gets ten
// through and then 429 with the form's own page (its language, the text
// kept, Retry-After); many addresses together meet the channel's budget;
// every refusal is counted on the channel (admin channel stats, all
// servers). Time is frozen and moved by hand: nothing here is timed.
func TestWebFormThrottle(t *testing.T) {
	e := newAlertsEnv(t, "ada")
	var mu sync.Mutex
	now := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	e.svc.Throttle.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	path := alerts.IntakePath(e.webform)

	post := func(ip, msg, lang string) *httptest.ResponseRecorder {
		const tok = "a-csrf-token-for-the-test"
		body := url.Values{"message": {msg}, "location": {"Bunia"}, "csrf": {tok}, "lang": {lang}}.Encode()
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.RemoteAddr = ip + ":40000"
		r.Header.Set("Content-Type", formCT)
		r.AddCookie(&http.Cookie{Name: alertFormCookie, Value: tok})
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		return w
	}
	refused := 0
	steps := []struct {
		name       string
		ips        []string
		lang       string
		wantOK     int
		wantRefuse int
	}{
		{"a script: 100 posts from one address", repeat("198.51.100.7", 100), "fr", alerts.ThrottleClientBurst, 100 - alerts.ThrottleClientBurst},
		{"the same address, other IPv6 halves count as one client", []string{"2001:db8:1:2::1", "2001:db8:1:2::2"}, "en", 2, 0},
		{"another address is not blocked by the first", []string{"198.51.100.8"}, "en", 1, 0},
		{"many addresses: the channel budget", manyIPs(80), "en", alerts.ThrottleChanBurst - alerts.ThrottleClientBurst - 3, 80 - (alerts.ThrottleChanBurst - alerts.ThrottleClientBurst - 3)},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			ok, no := 0, 0
			for i, ip := range s.ips {
				msg := "Des hommes armés au marché " + strconv.Itoa(i)
				w := post(ip, msg, s.lang)
				switch w.Code {
				case http.StatusOK:
					ok++
				case http.StatusTooManyRequests:
					no++
					b := w.Body.String()
					busy := alertFormTexts[s.lang].Busy
					if ra, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || ra < 1 {
						t.Fatalf("429 without a Retry-After in seconds: %q", w.Header().Get("Retry-After"))
					}
					if !strings.Contains(b, strings.ReplaceAll(busy, "'", "&#39;")) || !strings.Contains(b, `<html lang="`+s.lang+`"`) ||
						!strings.Contains(b, strconv.Itoa(i)+"</textarea>") {
						t.Fatalf("429 page is not the form in %s with the text kept:\n%s", s.lang, b)
					}
				default:
					t.Fatalf("post %d from %s: %d %s", i, ip, w.Code, w.Body)
				}
			}
			if ok != s.wantOK || no != s.wantRefuse {
				t.Fatalf("%d accepted, %d refused; want %d and %d", ok, no, s.wantOK, s.wantRefuse)
			}
			refused += no
		})
	}
	if n := e.count(t); n != alerts.ThrottleChanBurst {
		t.Fatalf("%d alerts stored, want %d (the channel's burst)", n, alerts.ThrottleChanBurst)
	}
	// Time refills the budget: one a second on the channel, one every 20 s
	// for the script's address.
	advance(alerts.ThrottleClientEvery)
	if w := post("198.51.100.7", "again", "en"); w.Code != http.StatusOK {
		t.Fatalf("after %s: %d", alerts.ThrottleClientEvery, w.Code)
	}
	if w := post("198.51.100.7", "again", "en"); w.Code != http.StatusTooManyRequests {
		t.Fatalf("second post right after: %d", w.Code)
	}
	refused++

	// The refusals are counted on the web channel only.
	resp, b := e.do(nil, "GET", "/api/v1/admin/channels/stats", reqOpt{token: e.tokens["ada"]})
	if resp.StatusCode != 200 {
		t.Fatalf("stats: %d %s", resp.StatusCode, b)
	}
	var st struct {
		Channels []struct {
			Channel   int64
			Throttled int64
		}
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	for _, c := range st.Channels {
		want := int64(0)
		if c.Channel == e.webform.ID {
			want = int64(refused)
		}
		if c.Throttled != want {
			t.Errorf("channel %d: throttled %d, want %d", c.Channel, c.Throttled, want)
		}
	}
	// Other kinds of intake have their own authentication and no budget.
	for i := 0; i < 20; i++ {
		resp, _ := e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("t-"+strconv.Itoa(i), "Attack at Bunia", "s3cret-gw"), ctype: formCT})
		if resp.StatusCode != 200 {
			t.Fatalf("SMSSync post %d: %d", i, resp.StatusCode)
		}
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func manyIPs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "203.0.113." + strconv.Itoa(i+1)
	}
	return out
}
