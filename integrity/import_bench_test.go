package integrity_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/postgres"
)

// import100k builds the 100,000-item export: the 30,240 labelled
// posts of ../shared/data/mdmh (all four files) followed by 69,760
// variants of them (an "RT @user: " prefix or a leading space, and a link
// or a hashtag added), in the generic layout id,source,text,time,shares.
func import100k(tb testing.TB) []byte {
	tb.Helper()
	var posts []string
	for _, f := range []string{"davidson2017", "mlma2019_en", "mlma2019_fr", "mlma2019_ar"} {
		fh, err := os.Open(filepath.Join("..", "..", "shared", "data", "mdmh", f+"_train.csv"))
		if err != nil {
			tb.Skipf("shared data: %v", err)
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			tb.Fatal(err)
		}
		col := -1
		for i, h := range recs[0] {
			if h == "text" {
				col = i
			}
		}
		for _, r := range recs[1:] {
			posts = append(posts, r[col])
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"id", "source", "text", "time", "shares"})
	t0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 100000; i++ {
		text := posts[i%len(posts)]
		if i >= len(posts) {
			v := i - len(posts)
			if v%2 == 0 {
				text = fmt.Sprintf("RT @user%d: %s", v%97, text)
			} else {
				text = " " + text
			}
			if v%3 == 0 {
				text += fmt.Sprintf(" https://t.co/x%d", v)
			} else {
				text += fmt.Sprintf(" #tag%d", v%13)
			}
		}
		w.Write([]string{fmt.Sprintf("p%d", i), "bench", text, t0.Add(time.Duration(i) * 20 * time.Second).Format(time.RFC3339), fmt.Sprint(i % 50)})
	}
	w.Flush()
	if p := os.Getenv("VIGIL_WRITE_IMPORT100K"); p != "" {
		if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

// BenchmarkImport100k imports the 100,000-item export into a fresh store
// per iteration, as `vigil items import` does (shipped gazetteer, built-in
// model, empty lexicon): sqlite, and postgres when VIGIL_TEST_POSTGRES is
// set. The time includes reading, analysing, grouping and the one
// transaction.
func BenchmarkImport100k(b *testing.B) {
	data := import100k(b)
	gaz, err := demo.Gazetteer()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	stores := []struct {
		name string
		open func(b *testing.B) *storage.DB
	}{{"sqlite", func(b *testing.B) *storage.DB { return testutil.Store(b) }}}
	if base := testutil.PostgresURL(b); base != "" {
		stores = append(stores, struct {
			name string
			open func(b *testing.B) *storage.DB
		}{"postgres", func(b *testing.B) *storage.DB { return pgSchema(b, base) }})
	}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := st.open(b)
				s := integrity.NewService(db, testutil.Keys(b, "k1"))
				s.SetGazetteer(gaz)
				if err := s.Load(ctx); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				res, err := s.Import(ctx, "bench", bytes.NewReader(data), "int100k.csv", integrity.ImportOptions{})
				if err != nil || res.Added != 100000 {
					b.Fatalf("%+v %v", res.Added, err)
				}
				b.ReportMetric(float64(res.Narratives), "narratives")
			}
		})
	}
}

// pgSchema opens the PostgreSQL store in a fresh schema, dropped at the end.
func pgSchema(b *testing.B, base string) *storage.DB {
	ctx := context.Background()
	db, err := postgres.Open(ctx, testutil.PostgresSchema(b, base, "bench_items"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}
