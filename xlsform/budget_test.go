package xlsform

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// zipBomb is a valid workbook whose survey sheet holds pad bytes of
// spaces (a few kilobytes compressed), in parts sheets.
func zipBomb(t testing.TB, parts, pad int) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	add := func(name string, body ...string) {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range body {
			w.Write([]byte(s))
		}
	}
	var wb, rels strings.Builder
	wb.WriteString(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	spaces := strings.Repeat(" ", 1<<20)
	for i := 1; i <= parts; i++ {
		fmt.Fprintf(&wb, `<sheet name="s%d" sheetId="%d" r:id="rId%d"/>`, i, i, i)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Target="worksheets/sheet%d.xml"/>`, i, i)
		body := []string{`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>type</t></is></c></row>`}
		for n := 0; n < pad>>20; n++ {
			body = append(body, spaces)
		}
		body = append(body, `</sheetData></worksheet>`)
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i), body...)
	}
	add("xl/workbook.xml", wb.String(), `</sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", rels.String(), `</Relationships>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withBudget runs the test with a budget of size bytes.
func withBudget(t *testing.T, size int64) *budget {
	old := decompress
	decompress = &budget{size: size}
	t.Cleanup(func() { decompress = old })
	return decompress
}

// TestDecompressBudget: six zip bombs read at once never hold more
// decompressed bytes together than the budget (they queue); a workbook
// that declares more than the whole budget is refused before inflating;
// one that cannot get the budget before its context ends gives ErrBusy.
func TestDecompressBudget(t *testing.T) {
	const mb = 1 << 20
	b := withBudget(t, 40*mb)
	bomb := zipBomb(t, 1, 16*mb) // ~16 MB inflated, a few kB on the wire
	if len(bomb) > 100<<10 {
		t.Fatalf("bomb is %d bytes compressed", len(bomb))
	}
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = ReadXLSXContext(context.Background(), bomb)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("bomb %d: %v", i, err)
		}
	}
	now, peak := b.inflated.Load(), b.peak.Load()
	if now != 0 || peak > b.size || peak < 16*mb {
		t.Errorf("decompressed in flight: now %d, peak %d, budget %d", now, peak, b.size)
	}
	if b.used != 0 || len(b.waiters) != 0 {
		t.Errorf("budget left used %d with %d waiters", b.used, len(b.waiters))
	}

	// Alone larger than the budget: refused, nothing inflated.
	b.peak.Store(0)
	if _, err := ReadXLSXContext(context.Background(), zipBomb(t, 3, 16*mb)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("48 MB workbook under a 40 MB budget: %v", err)
	}
	if b.peak.Load() != 0 {
		t.Errorf("the refused workbook inflated %d bytes", b.peak.Load())
	}

	// Budget held by others: wait until the context ends.
	if err := b.acquire(context.Background(), 30*mb); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadXLSXContext(ctx, bomb); !errors.Is(err, ErrBusy) {
		t.Errorf("with the budget held: %v", err)
	}
	b.release(30 * mb)
	if b.used != 0 || len(b.waiters) != 0 {
		t.Errorf("budget left used %d with %d waiters", b.used, len(b.waiters))
	}
	if _, err := ReadXLSXContext(context.Background(), bomb); err != nil {
		t.Errorf("after release: %v", err)
	}
}

// TestBudgetFIFO: a large request is not starved by small ones that
// arrive after it.
func TestBudgetFIFO(t *testing.T) {
	b := &budget{size: 10}
	if err := b.acquire(context.Background(), 6); err != nil {
		t.Fatal(err)
	}
	big := make(chan error)
	go func() { big <- b.acquire(context.Background(), 8) }()
	for {
		b.mu.Lock()
		n := len(b.waiters)
		b.mu.Unlock()
		if n == 1 {
			break
		}
	}
	small, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.acquire(small, 2); !errors.Is(err, ErrBusy) {
		t.Errorf("small request passed a waiting large one: %v", err)
	}
	b.release(6)
	if err := <-big; err != nil {
		t.Fatal(err)
	}
	b.release(8)
	if b.used != 0 {
		t.Errorf("used %d", b.used)
	}
}
