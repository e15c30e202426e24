package ui

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// workerBuild reads the build written into a worker.
func workerBuild(t *testing.T, body string) WorkerBuild {
	t.Helper()
	m := regexp.MustCompile(`(?m)^const BUILD = (\{.*\}); // written by the server`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no build line in the worker:\n%.400s", body)
	}
	var b WorkerBuild
	if err := json.Unmarshal([]byte(m[1]), &b); err != nil {
		t.Fatalf("build line %s: %v", m[1], err)
	}
	return b
}

// TestEmbedCoversDirectory: the embed patterns hold every file of this
// directory except the Go sources, testdata (the JavaScript unit tests)
// and hidden files (embedding a directory leaves them out), so a new kind of UI file cannot be left out
// of the binary unnoticed.
func TestEmbedCoversDirectory(t *testing.T) {
	list := func(fsys fs.FS, skipGo bool) []string {
		var out []string
		fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			base := path.Base(p)
			if p != "." && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") || base == "testdata") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !d.IsDir() && !(skipGo && strings.HasSuffix(p, ".go")) {
				out = append(out, p)
			}
			return nil
		})
		sort.Strings(out)
		return out
	}
	onDisk, inBinary := list(os.DirFS("."), true), list(embedded, false)
	if strings.Join(onDisk, "\n") != strings.Join(inBinary, "\n") {
		t.Errorf("embedded files differ from the directory:\n on disk %d files\n embedded %d files", len(onDisk), len(inBinary))
	}
}

// TestUIAssets loads the real embedded UI: dictionaries merge without
// duplicates, every key exists in English and French, and every key the core
// uses in index.html and core/*.js is defined.
func TestUIAssets(t *testing.T) {
	a, err := Load(embedded)
	if err != nil {
		t.Fatal(err)
	}
	dict := map[string]map[string]string{}
	for _, l := range Langs {
		f, ok := a.files["i18n/"+l+".json"]
		if !ok {
			t.Fatalf("merged dictionary i18n/%s.json missing", l)
		}
		var d map[string]string
		if err := json.Unmarshal(f.Body, &d); err != nil {
			t.Fatalf("i18n/%s.json: %v", l, err)
		}
		dict[l] = d
	}
	if len(dict["en"]) < 50 || len(dict["en"]) != len(dict["fr"]) {
		t.Errorf("en has %d keys, fr %d", len(dict["en"]), len(dict["fr"]))
	}
	// French must really be translated: most values differ from English.
	same := 0
	for k, v := range dict["en"] {
		if dict["fr"][k] == v {
			same++
		}
	}
	if same > len(dict["en"])/5 {
		t.Errorf("%d of %d French strings are identical to English", same, len(dict["en"]))
	}
	const key = `([a-z0-9_-]+\.[a-zA-Z0-9_.-]*[a-zA-Z0-9_-])`
	used := regexp.MustCompile(`data-i18n="` + key + `"|\bt\('` + key + `'[,)]|(?:label|attribution): '` + key + `'|aria-label:` + key + `|placeholder:` + key)
	files := []string{"index.html", "core/vigil.js", "core/map.js", "core/boot.js"}
	core := len(files)
	files = append(files, a.modules...) // capability modules: their literal keys must exist too
	for i, p := range files {
		b, err := fs.ReadFile(embedded, p)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			for _, k := range m[1:] {
				if k == "" {
					continue
				}
				n++
				if _, ok := dict["en"][k]; !ok {
					t.Errorf("web/ui/%s uses i18n key %q, not in the dictionaries", p, k)
				}
			}
		}
		if n == 0 && i < core {
			t.Errorf("web/ui/%s: found no i18n keys (pattern out of date?)", p)
		}
	}
	// Nothing outside the vendored files refers to another origin.
	ext := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/`)
	fs.WalkDir(embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, "vendor/") || strings.HasSuffix(p, ".md") {
			return err
		}
		b, _ := fs.ReadFile(embedded, p)
		b = bytes.ReplaceAll(b, []byte("http://www.w3.org/2000/svg"), nil) // an XML namespace name, not a fetch
		if m := ext.Find(b); m != nil {
			t.Errorf("web/ui/%s refers to an outside URL %q: the UI must work offline", p, m)
		}
		return nil
	})
	if len(a.modules) != 0 {
		// Capability modules are welcome; each must be a top-level .js.
		for _, m := range a.modules {
			if strings.Contains(m, "/") || !strings.HasSuffix(m, ".js") {
				t.Errorf("module %q", m)
			}
		}
	}
}

// TestPercentSpacing: English writes a percentage against its number
// ("12.5%"), French with a narrow no-break space (U+202F) before %
// ("12,5\u202f%"), never a plain space, which lets a line break between the
// number and % (« l’intervalle à 90 % » of the risk legend did); a
// dictionary string that puts a number or a {placeholder} before % another
// way is named.
func TestPercentSpacing(t *testing.T) {
	a, err := Load(embedded)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang string
		bad  *regexp.Regexp
		want string
	}{
		{"en", regexp.MustCompile(`[0-9}][ \x{00a0}\x{202f}]%`), "12.5%"},
		{"fr", regexp.MustCompile(`[0-9}][ \x{00a0}]?%`), "12,5\u202f%"},
	} {
		var d map[string]string
		if err := json.Unmarshal(a.files["i18n/"+c.lang+".json"].Body, &d); err != nil {
			t.Fatal(err)
		}
		for k, v := range d {
			if c.bad.MatchString(v) {
				t.Errorf("%s %q = %q: a percentage is written %s in this language", c.lang, k, v, c.want)
			}
		}
	}
}

// TestUIDictionaryErrors checks that a broken dictionary names the file and key.
func TestUIDictionaryErrors(t *testing.T) {
	base := func() fstest.MapFS {
		return fstest.MapFS{
			"index.html":   {Data: []byte("<p>x</p>")},
			"i18n/en.json": {Data: []byte(`{"a":"A"}`)},
			"i18n/fr.json": {Data: []byte(`{"a":"À"}`)},
		}
	}
	tests := []struct {
		name string
		edit func(fstest.MapFS)
		want string // substring of the error; "" = no error
	}{
		{"valid", func(fstest.MapFS) {}, ""},
		{"module strings", func(m fstest.MapFS) {
			m["i18n/alerts.en.json"] = &fstest.MapFile{Data: []byte(`{"alerts.t":"Alerts"}`)}
			m["i18n/alerts.fr.json"] = &fstest.MapFile{Data: []byte(`{"alerts.t":"Alertes"}`)}
		}, ""},
		{"missing french", func(m fstest.MapFS) {
			m["i18n/alerts.en.json"] = &fstest.MapFile{Data: []byte(`{"alerts.t":"Alerts"}`)}
		}, `web/ui/i18n/alerts.en.json: key "alerts.t" has no fr translation`},
		{"duplicate key", func(m fstest.MapFS) {
			m["i18n/alerts.en.json"] = &fstest.MapFile{Data: []byte(`{"a":"again"}`)}
			m["i18n/alerts.fr.json"] = &fstest.MapFile{Data: []byte(`{"b":"B"}`)}
		}, `key "a" already defined in i18n/`},
		{"bad json", func(m fstest.MapFS) {
			m["i18n/fr.json"] = &fstest.MapFile{Data: []byte(`{"a":`)}
		}, "web/ui/i18n/fr.json: unexpected end of JSON input"},
		{"not strings", func(m fstest.MapFS) {
			m["i18n/fr.json"] = &fstest.MapFile{Data: []byte(`{"a":1}`)}
		}, "web/ui/i18n/fr.json: json: cannot unmarshal number"},
		{"unknown language", func(m fstest.MapFS) {
			m["i18n/de.json"] = &fstest.MapFile{Data: []byte(`{"a":"A"}`)}
		}, `web/ui/i18n/de.json: unknown language "de"`},
		{"no page", func(m fstest.MapFS) { delete(m, "index.html") }, "web/ui/index.html missing"},
		{"bad template", func(m fstest.MapFS) {
			m["index.html"] = &fstest.MapFile{Data: []byte("{{range}}")}
		}, "web/ui/index.html:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			tc.edit(m)
			_, err := Load(m)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("no error, want %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestServiceWorkerVersion: the version (and so the cache names) changes
// with any UI file and stays the same for the same files; a worker source
// without its placeholder line is refused.
func TestServiceWorkerVersion(t *testing.T) {
	src, err := fs.ReadFile(embedded, WorkerSource)
	if err != nil {
		t.Fatal(err)
	}
	base := func() fstest.MapFS {
		return fstest.MapFS{
			"index.html":     {Data: []byte("<html></html>")},
			"core/sw.js":     {Data: src},
			"core/vigil.js":  {Data: []byte("export const Vigil = {};")},
			"i18n/en.json":   {Data: []byte(`{"app.x": "X"}`)},
			"i18n/fr.json":   {Data: []byte(`{"app.x": "Xe"}`)},
			"vendor/LICENSE": {Data: []byte("licence")},
		}
	}
	version := func(fsys fstest.MapFS) (WorkerBuild, error) {
		a, err := Load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		f, err := a.ServiceWorker()
		if err != nil {
			return WorkerBuild{}, err
		}
		return workerBuild(t, string(f.Body)), nil
	}
	v1, err := version(base())
	if err != nil {
		t.Fatal(err)
	}
	v2, _ := version(base())
	if v1.Version != v2.Version {
		t.Errorf("same files, versions %s and %s", v1.Version, v2.Version)
	}
	if got := strings.Join(v1.Precache, " "); got != "/ui/core/vigil.js /ui/i18n/en.json /ui/i18n/fr.json" {
		t.Errorf("precache %q", got)
	}
	for _, tc := range []struct{ name, file, data string }{
		{"module changed", "core/vigil.js", "export const Vigil = {v: 2};"},
		{"dictionary changed", "i18n/fr.json", `{"app.x": "Xf"}`},
		{"module added", "risk.js", "// risk"},
	} {
		fsys := base()
		fsys[tc.file] = &fstest.MapFile{Data: []byte(tc.data)}
		v, err := version(fsys)
		if err != nil {
			t.Fatal(err)
		}
		if v.Version == v1.Version {
			t.Errorf("%s: version unchanged (%s)", tc.name, v.Version)
		}
	}
	fsys := base()
	fsys["core/sw.js"] = &fstest.MapFile{Data: []byte("// no build line\n")}
	if _, err := version(fsys); err == nil || !strings.Contains(err.Error(), "web/ui/core/sw.js") {
		t.Errorf("worker without its build line: %v", err)
	}
}

// TestLeafletContentIsText: Leaflet renders a string given to a tooltip or
// popup as HTML, so a place or label from an imported file (a deployment's
// location, a survey form's label, an item's place) could become markup on
// the map. Every bindTooltip, bindPopup and setContent in the UI is given
// an element (Vigil.plain(text), el(…), or the risk panel built with el),
// never a string.
func TestLeafletContentIsText(t *testing.T) {
	call := regexp.MustCompile(`\.(bindTooltip|bindPopup|setContent)\(\s*(\(\)\s*=>\s*)?`)
	ok := regexp.MustCompile(`^(Vigil\.plain\(|el\(|Vigil\.el\(|panel\))`)
	n := 0
	err := fs.WalkDir(embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") || strings.HasPrefix(p, "vendor/") {
			return err
		}
		b, err := fs.ReadFile(embedded, p)
		if err != nil {
			return err
		}
		src := string(b)
		for _, m := range call.FindAllStringIndex(src, -1) {
			n++
			if arg := src[m[1]:min(len(src), m[1]+60)]; !ok.MatchString(arg) {
				line := strings.Count(src[:m[0]], "\n") + 1
				t.Errorf("%s:%d: %s given %q…: give an element (Vigil.plain(text) or el(…)), not a string Leaflet renders as HTML", p, line, src[m[0]:m[1]], arg)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 8 {
		t.Errorf("only %d Leaflet content calls found: the pattern no longer matches the UI", n)
	}
}

// TestNoNativeDateInputs: the design rule of README.md: a date, month or
// date and time is asked with Vigil.dateInput (kind 'date', 'month' or
// 'datetime'), never with the browser's <input type=date|month|time|
// datetime-local>, which it draws in its own locale ("mm/dd/yyyy", "AM" on
// a French page), nor named so in a module's form fields. Comments aside.
func TestNoNativeDateInputs(t *testing.T) {
	native := regexp.MustCompile(`datetime-local|\btype\s*[:=]\s*['"]?(date|month|time|week)\b`)
	err := fs.WalkDir(embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, "vendor/") || !strings.HasSuffix(p, ".js") && !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := fs.ReadFile(embedded, p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if l := strings.TrimSpace(line); strings.HasPrefix(l, "*") || strings.HasPrefix(l, "//") || strings.HasPrefix(l, "/*") {
				continue
			}
			if m := native.FindString(line); m != "" {
				t.Errorf("%s:%d: %q: use Vigil.dateInput({kind: 'date'|'month'|'datetime'}), not the browser's date input", p, i+1, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReadmeListsCoreMembers: every member of the Vigil object in
// core/vigil.js (a method or a field at its top level) has a row in
// README.md's table "The `Vigil` object", so a module's author finds the
// core's helpers (dateTime, plain, replaceRoute, …) there instead of
// writing them again.
func TestReadmeListsCoreMembers(t *testing.T) {
	src, err := os.ReadFile("core/vigil.js")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src)
	start := strings.Index(body, "export const Vigil = {\n")
	end := strings.Index(body[start:], "\n};\n")
	if start < 0 || end < 0 {
		t.Fatal("core/vigil.js: no `export const Vigil = {` … `};`")
	}
	// Members are indented two spaces: "  name(…) {", "  async name(…) {", "  name: …,".
	member := regexp.MustCompile(`(?m)^  (?:async )?([A-Za-z_$][\w$]*)\s*(?:\(|:)`)
	var names []string
	for _, m := range member.FindAllStringSubmatch(body[start:start+end], -1) {
		names = append(names, m[1])
	}
	if len(names) < 20 {
		t.Fatalf("core/vigil.js: found %d members of Vigil (%v); the pattern no longer reads the object", len(names), names)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(readme)
	i := strings.Index(doc, "## The `Vigil` object")
	if i < 0 {
		t.Fatal("README.md: no section \"## The `Vigil` object\"")
	}
	table := doc[i:]
	if j := strings.Index(table[3:], "\n## "); j >= 0 {
		table = table[:j+3]
	}
	// A row's first cell names members in backquotes: | `name(args)` |, | `lang`, `setLang(l)` |.
	listed := map[string]bool{}
	cell := regexp.MustCompile("(?m)^\\| ([^|]*) \\|")
	ident := regexp.MustCompile("`([A-Za-z_$][\\w$]*)")
	for _, row := range cell.FindAllStringSubmatch(table, -1) {
		for _, m := range ident.FindAllStringSubmatch(row[1], -1) {
			listed[m[1]] = true
		}
	}
	for _, n := range names {
		if !listed[n] {
			t.Errorf("README.md, table \"The `Vigil` object\": no row for Vigil.%s (core/vigil.js)", n)
		}
	}
}
