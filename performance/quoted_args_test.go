package performance

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestFrenchQuotedArgs: an argument the package Go-quotes itself
// (name, fmt.Sprintf("%q", v) beside a catalog code in one call, as
// refuse, invalid, bad and msg are called) is said on a French page in
// guillemets with U+202F, «\u202f{name:q}\u202f» (the renderer and the
// page's fill say {name:q} without Go's quotes), never {name} in straight
// quotes: « pays "Narnia" : inconnu » was. apperr's catalogs turn a %q
// verb into {n:q} themselves (quotedFrench); this catalog's arguments are
// named and quoted by the caller, so nothing did here.
func TestFrenchQuotedArgs(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	want := map[string]map[string]string{} // code → argument → where
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			code := ""
			for _, a := range call.Args {
				if s, ok := stringLit(a); ok {
					if _, in := Reasons[s]; in {
						code = s
						break
					}
				}
			}
			if code == "" {
				return true
			}
			for i := 1; i < len(call.Args); i++ {
				arg, ok := stringLit(call.Args[i-1])
				if !ok || !goQuoted(call.Args[i]) {
					continue
				}
				if want[code] == nil {
					want[code] = map[string]string{}
				}
				want[code][arg] = fset.Position(call.Args[i].Pos()).String()
			}
			return true
		})
	}
	if len(want) < 10 {
		t.Fatalf("found %d codes with Go-quoted arguments, want the package's many", len(want))
	}
	var bad []string
	for code, args := range want {
		fr := Reasons[code][1]
		for arg, where := range args {
			if strings.Contains(fr, "{"+arg+"}") || !strings.Contains(fr, "«\u202f{"+arg+":q}\u202f»") {
				bad = append(bad, where+": "+code+": French says {"+arg+"} as "+strconv.Quote(fr))
			}
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("%s (want «\\u202f{name:q}\\u202f»)", b)
	}
}

// stringLit is e's value when e is a string literal.
func stringLit(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(b.Value)
	return s, err == nil
}

// goQuoted reports whether e is fmt.Sprintf("%q", x) or strconv.Quote(x).
func goQuoted(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	if pkg.Name == "strconv" && sel.Sel.Name == "Quote" {
		return true
	}
	if pkg.Name != "fmt" || sel.Sel.Name != "Sprintf" || len(c.Args) != 2 {
		return false
	}
	f, ok := stringLit(c.Args[0])
	return ok && f == "%q"
}
