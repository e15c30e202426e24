// Command vigil-loadgen is the load generator for the alert-intake benchmark.
//
// It covers it posts SMSSync submissions to a running `vigil serve` at a fixed
// rate (open loop: latency is measured from each request's scheduled time, so a
// stalled server cannot hide its queueing), for a bounded time, and reports
// acknowledged messages, errors and latency percentiles. With --data it then
// opens the server's SQLite store and checks that every acknowledged message is
// stored exactly once.
//
//	vigil-loadgen --url http://127.0.0.1:8080/intake/smssync/KEY --secret S --rate 500 --duration 30s --data DIR
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/storage/sqlite"
)

func main() {
	target := flag.String("url", "", "SMSSync intake URL of the channel (printed by vigil channel add)")
	secret := flag.String("secret", "", "the channel's SMSSync secret")
	rate := flag.Float64("rate", 500, "requests per second")
	dur := flag.Duration("duration", 30*time.Second, "how long to send")
	maxInFlight := flag.Int("max-inflight", 2000, "requests in flight at most (beyond: counted as dropped)")
	data := flag.String("data", "", "the server's data directory: after the run, check every acknowledged message is stored once")
	prefix := flag.String("prefix", fmt.Sprintf("lg%d-", time.Now().Unix()), "message_id prefix of this run")
	flag.Parse()
	if *target == "" || *rate <= 0 {
		fmt.Fprintln(os.Stderr, "vigil-loadgen: --url and a positive --rate are required")
		os.Exit(2)
	}
	res := run(*target, *secret, *prefix, *rate, *dur, *maxInFlight)
	res.print(os.Stdout)
	if *data != "" {
		if err := check(*data, *prefix, res.acked); err != nil {
			fmt.Fprintln(os.Stdout, "CHECK FAILED:", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stdout, "check: all %d acknowledged messages stored exactly once (0 lost)\n", len(res.acked))
	}
}

type result struct {
	sent, ok, fail, dropped int64
	lat                     []time.Duration
	acked                   []string
	elapsed                 time.Duration
	firstErr                string
}

func run(target, secret, prefix string, rate float64, dur time.Duration, maxInFlight int) *result {
	tr := &http.Transport{MaxIdleConns: maxInFlight, MaxIdleConnsPerHost: maxInFlight, IdleConnTimeout: time.Minute}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	res := &result{}
	var mu sync.Mutex
	var inflight atomic.Int64
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	n := int(rate * dur.Seconds())
	for i := 0; i < n; i++ {
		sched := start.Add(time.Duration(i) * interval)
		if d := time.Until(sched); d > 0 {
			time.Sleep(d)
		}
		if inflight.Load() >= int64(maxInFlight) {
			atomic.AddInt64(&res.dropped, 1)
			continue
		}
		inflight.Add(1)
		wg.Add(1)
		id := fmt.Sprintf("%s%d", prefix, i)
		go func() {
			defer wg.Done()
			defer inflight.Add(-1)
			atomic.AddInt64(&res.sent, 1)
			form := url.Values{"from": {"+243812345678"}, "message": {"load test " + id + ": armed men near 1.5625, 30.2484"},
				"message_id": {id}, "sent_to": {"+243990000000"}, "secret": {secret}, "device_id": {"loadgen"},
				"sent_timestamp": {fmt.Sprint(time.Now().UnixMilli())}}
			ok, errText := post(client, target, form)
			lat := time.Since(sched)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				res.ok++
				res.lat = append(res.lat, lat)
				res.acked = append(res.acked, id)
			} else {
				res.fail++
				if res.firstErr == "" {
					res.firstErr = errText
				}
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

func post(c *http.Client, target string, form url.Values) (bool, string) {
	resp, err := c.PostForm(target, form)
	if err != nil {
		return false, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v struct {
		Payload struct {
			Success bool `json:"success"`
		} `json:"payload"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(b, &v) != nil || !v.Payload.Success {
		return false, fmt.Sprintf("HTTP %d %s", resp.StatusCode, strings.TrimSpace(string(b)))
	}
	return true, ""
}

func (r *result) print(w io.Writer) {
	sort.Slice(r.lat, func(i, j int) bool { return r.lat[i] < r.lat[j] })
	fmt.Fprintf(w, "scheduled %d, sent %d, acknowledged %d, failed %d, dropped %d in %.1fs\n",
		r.sent+r.dropped, r.sent, r.ok, r.fail, r.dropped, r.elapsed.Seconds())
	fmt.Fprintf(w, "acknowledged rate %.1f/s\n", float64(r.ok)/r.elapsed.Seconds())
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Fprintf(w, "latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n",
		ms(performance.NearestRank(r.lat, 0.5)), ms(performance.NearestRank(r.lat, 0.9)), ms(performance.NearestRank(r.lat, 0.99)), ms(performance.NearestRank(r.lat, 1)))
	if r.firstErr != "" {
		fmt.Fprintf(w, "first error: %s\n", r.firstErr)
	}
}

// check opens the store read-side and verifies each acknowledged id is
// stored exactly once.
func check(dir, prefix string, acked []string) error {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dir, sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.SQL.QueryContext(ctx, `SELECT gateway_id, COUNT(*) FROM alerts WHERE substr(gateway_id, 1, ?) = ? GROUP BY gateway_id`, len(prefix), prefix)
	if err != nil {
		return err
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		got[id] = n
	}
	lost := 0
	for _, id := range acked {
		if got[id] != 1 {
			lost++
		}
	}
	if lost > 0 {
		return fmt.Errorf("%d of %d acknowledged messages not stored exactly once", lost, len(acked))
	}
	return nil
}
