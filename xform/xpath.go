package xform

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/vigil-project/vigil/internal/apperr"
)

// This file is a small XPath 1.0 evaluator for the subset of expressions
// that forms use in constraints, relevance and required conditions:
// paths (absolute, relative, ".", ".."), string and number literals,
// comparisons, and/or, arithmetic (+ - * div mod, unary minus) and the
// functions listed in funcs. Everything else in XPath 1.0 (predicates,
// attributes, axes, unions, other functions) parses but is marked
// unsupported: such an expression is never evaluated, so it can never give a
// wrong answer.

// ErrSyntax is wrapped by errors for expressions that are not valid XPath.
var ErrSyntax = said("XPath syntax error")

// Expr is a parsed expression.
type Expr struct {
	Src string
	// Unsupported is empty when the expression can be evaluated, or says
	// which construct is outside the supported subset.
	Unsupported string
	// why is Unsupported as a message of WarningMessages.
	why  error
	root node
}

// Supported reports whether the expression can be evaluated.
func (e *Expr) Supported() bool { return e != nil && e.Unsupported == "" }

type tokKind int

const (
	tEOF tokKind = iota
	tNum
	tStr
	tName // QName or '*'
	tOp   // = != < <= > >= + - * / // | ( ) [ ] , @ :: . ..
	tVar  // $name
)

type token struct {
	kind tokKind
	s    string
	pos  int
}

func isNameStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isNameChar(r rune) bool {
	return r == '_' || r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		r, w := utf8.DecodeRuneInString(src[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case r == '"' || r == '\'':
			j := strings.IndexRune(src[i+1:], r)
			if j < 0 {
				return nil, apperr.Textf("%w: unterminated string at offset %d", ErrSyntax, i)
			}
			toks = append(toks, token{tStr, src[i+1 : i+1+j], i})
			i += j + 2
		case r >= '0' && r <= '9' || r == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if strings.Count(src[i:j], ".") > 1 {
				return nil, apperr.Textf("%w: bad number %q at offset %d", ErrSyntax, src[i:j], i)
			}
			toks = append(toks, token{tNum, src[i:j], i})
			i = j
		case r == '.':
			if strings.HasPrefix(src[i:], "..") {
				toks = append(toks, token{tOp, "..", i})
				i += 2
			} else {
				toks = append(toks, token{tOp, ".", i})
				i++
			}
		case r == '$':
			j := i + 1
			for j < len(src) {
				r2, w2 := utf8.DecodeRuneInString(src[j:])
				if !isNameChar(r2) && r2 != ':' {
					break
				}
				j += w2
			}
			if j == i+1 {
				return nil, apperr.Textf("%w: '$' without a variable name at offset %d", ErrSyntax, i)
			}
			toks = append(toks, token{tVar, src[i+1 : j], i})
			i = j
		case isNameStart(r):
			j := i
			for j < len(src) {
				r2, w2 := utf8.DecodeRuneInString(src[j:])
				if isNameChar(r2) {
					j += w2
					continue
				}
				// prefix:local (but not the '::' axis separator)
				if r2 == ':' && j+1 < len(src) && src[j+1] != ':' {
					r3, _ := utf8.DecodeRuneInString(src[j+1:])
					if isNameStart(r3) || r3 == '*' {
						j++
						continue
					}
				}
				break
			}
			// a trailing '-' or '.' belongs to the name in XPath; keep it.
			toks = append(toks, token{tName, src[i:j], i})
			i = j
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			switch two {
			case "!=", "<=", ">=", "//", "::":
				toks = append(toks, token{tOp, two, i})
				i += 2
				continue
			}
			switch r {
			case '=', '<', '>', '+', '-', '*', '/', '|', '(', ')', '[', ']', ',', '@':
				toks = append(toks, token{tOp, string(r), i})
				i++
			default:
				return nil, apperr.Textf("%w: unexpected %q at offset %d", ErrSyntax, r, i)
			}
		}
	}
	toks = append(toks, token{tEOF, "", len(src)})
	return toks, nil
}

// AST

type node interface{}

type (
	numLit struct{ v float64 }
	strLit struct{ v string }
	binary struct {
		op   string
		l, r node
	}
	negate struct{ x node }
	call   struct {
		name string
		args []node
	}
	// pathExpr is a location path: abs means it starts at the root;
	// steps are names, "." or "..".
	pathExpr struct {
		abs   bool
		steps []string
	}
)

type parser struct {
	toks        []token
	i           int
	src         string
	unsupported error
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}
func (p *parser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tOp && t.s == s
}
func (p *parser) isName(s string) bool {
	t := p.peek()
	return t.kind == tName && t.s == s
}

// unsup marks the expression unsupported, the first time, saying which
// construct (a message of WarningMessages).
func (p *parser) unsup(format string, a ...any) {
	if p.unsupported == nil {
		p.unsupported = apperr.Textf(format, a...)
	}
}
func (p *parser) errf(format string, args ...any) error {
	return apperr.Textf("%w: %s (at offset %d)", ErrSyntax, apperr.Textf(format, args...), p.peek().pos)
}

// ParseExpr parses an XPath expression. It returns an error wrapping
// ErrSyntax for text that is not XPath; expressions that are valid XPath
// but outside the supported subset are returned with Unsupported set.
func ParseExpr(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, src: src}
	if p.peek().kind == tEOF {
		return nil, apperr.Textf("%w: empty expression", ErrSyntax)
	}
	n, err := p.orExpr()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tEOF {
		return nil, p.errf("unexpected %q", p.peek().s)
	}
	e := &Expr{Src: src, root: n}
	if p.unsupported != nil {
		e.Unsupported, e.why = p.unsupported.Error(), p.unsupported
	}
	return e, nil
}

// leftAssoc parses operand (op operand)*, left-associative, while at says
// the next token is one of the level's operators.
func (p *parser) leftAssoc(operand func() (node, error), at func() bool) (node, error) {
	l, err := operand()
	for err == nil && at() {
		op := p.next().s
		var r node
		if r, err = operand(); err == nil {
			l = binary{op, l, r}
		}
	}
	return l, err
}

func (p *parser) orExpr() (node, error) {
	return p.leftAssoc(p.andExpr, func() bool { return p.isName("or") })
}

func (p *parser) andExpr() (node, error) {
	return p.leftAssoc(p.eqExpr, func() bool { return p.isName("and") })
}

func (p *parser) eqExpr() (node, error) {
	return p.leftAssoc(p.relExpr, func() bool { return p.isOp("=") || p.isOp("!=") })
}

func (p *parser) relExpr() (node, error) {
	return p.leftAssoc(p.addExpr, func() bool { return p.isOp("<") || p.isOp(">") || p.isOp("<=") || p.isOp(">=") })
}

func (p *parser) addExpr() (node, error) {
	return p.leftAssoc(p.mulExpr, func() bool { return p.isOp("+") || p.isOp("-") })
}

func (p *parser) mulExpr() (node, error) {
	return p.leftAssoc(p.unaryExpr, func() bool { return p.isOp("*") || p.isName("div") || p.isName("mod") })
}

func (p *parser) unaryExpr() (node, error) {
	if p.isOp("-") {
		p.next()
		x, err := p.unaryExpr()
		return negate{x}, err
	}
	return p.unionExpr()
}

func (p *parser) unionExpr() (node, error) {
	l, err := p.pathOrPrimary()
	for err == nil && p.isOp("|") {
		p.next()
		p.unsup("union operator '|'")
		_, err = p.pathOrPrimary()
	}
	return l, err
}

func (p *parser) pathOrPrimary() (node, error) {
	t := p.peek()
	switch {
	case t.kind == tNum:
		p.next()
		v, err := strconv.ParseFloat(t.s, 64)
		if err != nil {
			return nil, p.errf("bad number %q", t.s)
		}
		return p.filterTail(numLit{v})
	case t.kind == tStr:
		p.next()
		return p.filterTail(strLit{t.s})
	case t.kind == tVar:
		p.next()
		p.unsup("variable $%s", t.s)
		return p.filterTail(strLit{""})
	case t.kind == tOp && t.s == "(":
		p.next()
		x, err := p.orExpr()
		if err != nil {
			return nil, err
		}
		if !p.isOp(")") {
			return nil, p.errf("missing ')'")
		}
		p.next()
		return p.filterTail(x)
	case t.kind == tName && p.toks[p.i+1].kind == tOp && p.toks[p.i+1].s == "(" && !isNodeType(t.s):
		p.next()
		p.next()
		var args []node
		if !p.isOp(")") {
			for {
				a, err := p.orExpr()
				if err != nil {
					return nil, err
				}
				args = append(args, a)
				if p.isOp(",") {
					p.next()
					continue
				}
				break
			}
		}
		if !p.isOp(")") {
			return nil, p.errf("missing ')' after the arguments of %s()", t.s)
		}
		p.next()
		f, ok := funcs[t.s]
		if !ok {
			p.unsup("function %s()", t.s)
		} else if len(args) < f.min || f.max >= 0 && len(args) > f.max {
			return nil, apperr.Textf("%w: %s() takes %s, got %d", ErrSyntax, t.s, f.arity(), len(args))
		} else if t.s == "regex" {
			// Go's RE2 lacks some Java regex features: only literal
			// patterns that compile here are evaluated.
			if lit, ok := args[1].(strLit); !ok {
				p.unsup("regex() with a pattern that is not a literal")
			} else if _, err := compileRegex(lit.v); err != nil {
				p.unsup("regex pattern %q (not supported by Go's regexp: %v)", lit.v, err)
			}
		}
		return p.filterTail(call{t.s, args})
	}
	return p.locationPath()
}

func isNodeType(s string) bool {
	switch s {
	case "node", "text", "comment", "processing-instruction":
		return true
	}
	return false
}

// filterTail handles predicates and paths after a primary expression
// (e.g. instance('x')/root/item[name=1]), which are unsupported.
func (p *parser) filterTail(x node) (node, error) {
	for p.isOp("[") {
		if err := p.predicate(); err != nil {
			return nil, err
		}
	}
	if p.isOp("/") || p.isOp("//") {
		p.unsup("a path after a function call or parenthesis")
		p.next()
		if _, err := p.relativePath(); err != nil {
			return nil, err
		}
	}
	return x, nil
}

func (p *parser) predicate() error {
	p.next() // [
	p.unsup("predicate [...]")
	if _, err := p.orExpr(); err != nil {
		return err
	}
	if !p.isOp("]") {
		return p.errf("missing ']'")
	}
	p.next()
	return nil
}

func (p *parser) locationPath() (node, error) {
	pe := pathExpr{}
	if p.isOp("/") {
		p.next()
		pe.abs = true
		if !p.startsStep() {
			return pe, nil // "/" alone: the root
		}
	} else if p.isOp("//") {
		p.next()
		p.unsup("descendant path '//'")
		pe.abs = true
	}
	steps, err := p.relativePath()
	if err != nil {
		return nil, err
	}
	pe.steps = steps
	return pe, nil
}

func (p *parser) startsStep() bool {
	t := p.peek()
	return t.kind == tName || t.kind == tOp && (t.s == "." || t.s == ".." || t.s == "@" || t.s == "*")
}

func (p *parser) relativePath() ([]string, error) {
	var steps []string
	for {
		s, err := p.step()
		if err != nil {
			return nil, err
		}
		steps = append(steps, s)
		if p.isOp("/") {
			p.next()
			continue
		}
		if p.isOp("//") {
			p.next()
			p.unsup("descendant path '//'")
			continue
		}
		return steps, nil
	}
}

func (p *parser) step() (string, error) {
	t := p.peek()
	switch {
	case t.kind == tOp && (t.s == "." || t.s == ".."):
		p.next()
		if p.isOp("[") {
			return "", p.errf("a predicate cannot follow %q", t.s)
		}
		return t.s, nil
	case t.kind == tOp && t.s == "@":
		p.next()
		p.unsup("attribute step '@'")
		nt := p.next()
		if nt.kind != tName && !(nt.kind == tOp && nt.s == "*") {
			return "", p.errf("missing attribute name after '@'")
		}
		return "@" + nt.s, p.predicates()
	case t.kind == tOp && t.s == "*":
		p.next()
		p.unsup("wildcard step '*'")
		return "*", p.predicates()
	case t.kind == tName:
		p.next()
		if p.isOp("::") {
			p.next()
			p.unsup("axis %s::", t.s)
			nt := p.next()
			if nt.kind != tName && !(nt.kind == tOp && nt.s == "*") {
				return "", p.errf("missing node test after %s::", t.s)
			}
			if p.isOp("(") { // node() etc.
				p.next()
				if !p.isOp(")") {
					return "", p.errf("missing ')'")
				}
				p.next()
			}
			return t.s + "::" + nt.s, p.predicates()
		}
		if isNodeType(t.s) && p.isOp("(") {
			p.next()
			if !p.isOp(")") {
				return "", p.errf("missing ')'")
			}
			p.next()
			p.unsup("node test %s()", t.s)
			return t.s + "()", p.predicates()
		}
		return t.s, p.predicates()
	}
	if t.kind == tEOF {
		return "", p.errf("expression ends where a value was expected")
	}
	return "", p.errf("unexpected %q", t.s)
}

func (p *parser) predicates() error {
	for p.isOp("[") {
		if err := p.predicate(); err != nil {
			return err
		}
	}
	return nil
}

// Functions.

type fn struct {
	min, max int // max < 0: variadic
	f        func(c *evalCtx, args []value) value
}

func (f fn) arity() error {
	switch {
	case f.max < 0:
		return apperr.Textf("at least %d arguments", f.min)
	case f.min == f.max:
		return apperr.Textf("%d arguments", f.min)
	}
	return apperr.Textf("%d to %d arguments", f.min, f.max)
}

var regexCache sync.Map // pattern -> *regexp.Regexp

var funcs map[string]fn

func init() {
	funcs = map[string]fn{
		"true":    {0, 0, func(c *evalCtx, a []value) value { return true }},
		"false":   {0, 0, func(c *evalCtx, a []value) value { return false }},
		"not":     {1, 1, func(c *evalCtx, a []value) value { return !toBool(a[0]) }},
		"boolean": {1, 1, func(c *evalCtx, a []value) value { return toBool(a[0]) }},
		"number":  {0, 1, func(c *evalCtx, a []value) value { return toNum(argOrCtx(c, a)) }},
		"string":  {0, 1, func(c *evalCtx, a []value) value { return toStr(argOrCtx(c, a)) }},
		"string-length": {0, 1, func(c *evalCtx, a []value) value {
			return float64(utf8.RuneCountInString(toStr(argOrCtx(c, a))))
		}},
		"concat": {0, -1, func(c *evalCtx, a []value) value {
			var b strings.Builder
			for _, v := range a {
				b.WriteString(toStr(v))
			}
			return b.String()
		}},
		"contains":    {2, 2, func(c *evalCtx, a []value) value { return strings.Contains(toStr(a[0]), toStr(a[1])) }},
		"starts-with": {2, 2, func(c *evalCtx, a []value) value { return strings.HasPrefix(toStr(a[0]), toStr(a[1])) }},
		"ends-with":   {2, 2, func(c *evalCtx, a []value) value { return strings.HasSuffix(toStr(a[0]), toStr(a[1])) }},
		"selected": {2, 2, func(c *evalCtx, a []value) value {
			want := strings.TrimSpace(toStr(a[1]))
			for _, s := range strings.Fields(toStr(a[0])) {
				if s == want {
					return true
				}
			}
			return false
		}},
		"count-selected": {1, 1, func(c *evalCtx, a []value) value { return float64(len(strings.Fields(toStr(a[0])))) }},
		"regex": {2, 2, func(c *evalCtx, a []value) value {
			re, err := compileRegex(toStr(a[1]))
			if err != nil {
				c.err = err
				return false
			}
			return re.MatchString(toStr(a[0]))
		}},
		"count": {1, 1, func(c *evalCtx, a []value) value {
			ns, ok := a[0].(nodeSet)
			if !ok {
				c.err = errors.New("count() needs a node-set")
				return math.NaN()
			}
			return float64(len(ns))
		}},
		"int": {1, 1, func(c *evalCtx, a []value) value {
			n := toNum(a[0])
			if math.IsNaN(n) || math.IsInf(n, 0) {
				return n
			}
			return math.Trunc(n)
		}},
		"round":   {1, 1, func(c *evalCtx, a []value) value { return math.Floor(toNum(a[0]) + 0.5) }},
		"floor":   {1, 1, func(c *evalCtx, a []value) value { return math.Floor(toNum(a[0])) }},
		"ceiling": {1, 1, func(c *evalCtx, a []value) value { return math.Ceil(toNum(a[0])) }},
	}
}

func compileRegex(pat string) (*regexp.Regexp, error) {
	if v, ok := regexCache.Load(pat); ok {
		return v.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, fmt.Errorf("regex %q: %v", pat, err)
	}
	regexCache.Store(pat, re)
	return re, nil
}

func argOrCtx(c *evalCtx, a []value) value {
	if len(a) > 0 {
		return a[0]
	}
	return nodeSet{c.node}
}

// Values: bool, float64, string, nodeSet.

type value interface{}

type nodeSet []*Elem

func toStr(v value) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "true"
		}
		return "false"
	case float64:
		switch {
		case math.IsNaN(x):
			return "NaN"
		case math.IsInf(x, 1):
			return "Infinity"
		case math.IsInf(x, -1):
			return "-Infinity"
		case x == math.Trunc(x) && math.Abs(x) < 1e15:
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	case nodeSet:
		if len(x) == 0 {
			return ""
		}
		return x[0].Text
	}
	return ""
}

func strToNum(s string) float64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return math.NaN()
	}
	// XPath numbers: digits with an optional '.', optional leading '-'.
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == '-' && i == 0) {
			return math.NaN()
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

func toNum(v value) float64 {
	switch x := v.(type) {
	case bool:
		if x {
			return 1
		}
		return 0
	case float64:
		return x
	case string:
		return strToNum(x)
	case nodeSet:
		return strToNum(toStr(x))
	}
	return math.NaN()
}

func toBool(v value) bool {
	switch x := v.(type) {
	case bool:
		return x
	case float64:
		return x != 0 && !math.IsNaN(x)
	case string:
		return x != ""
	case nodeSet:
		return len(x) > 0
	}
	return false
}

// Evaluation.

type evalCtx struct {
	root *Elem
	node *Elem
	err  error
}

// Eval evaluates e with context node ctx inside the document rooted at
// root. It fails for unsupported expressions.
func (e *Expr) Eval(root, ctx *Elem) (value, error) {
	if !e.Supported() {
		return nil, fmt.Errorf("expression %q is not supported: %s", e.Src, e.Unsupported)
	}
	c := &evalCtx{root: root, node: ctx}
	v := c.eval(e.root)
	return v, c.err
}

// EvalBool evaluates e as a boolean.
func (e *Expr) EvalBool(root, ctx *Elem) (bool, error) {
	v, err := e.Eval(root, ctx)
	if err != nil {
		return false, err
	}
	return toBool(v), nil
}

func (c *evalCtx) eval(n node) value {
	switch x := n.(type) {
	case numLit:
		return x.v
	case strLit:
		return x.v
	case negate:
		return -toNum(c.eval(x.x))
	case call:
		args := make([]value, len(x.args))
		for i, a := range x.args {
			args[i] = c.eval(a)
		}
		return funcs[x.name].f(c, args)
	case pathExpr:
		return c.path(x)
	case binary:
		switch x.op {
		case "and":
			return toBool(c.eval(x.l)) && toBool(c.eval(x.r))
		case "or":
			return toBool(c.eval(x.l)) || toBool(c.eval(x.r))
		}
		l, r := c.eval(x.l), c.eval(x.r)
		switch x.op {
		case "+":
			return toNum(l) + toNum(r)
		case "-":
			return toNum(l) - toNum(r)
		case "*":
			return toNum(l) * toNum(r)
		case "div":
			return toNum(l) / toNum(r)
		case "mod":
			return math.Mod(toNum(l), toNum(r))
		}
		return compare(x.op, l, r)
	}
	c.err = fmt.Errorf("internal: unknown expression node %T", n)
	return false
}

// compare implements XPath 1.0 comparison, existential over node-sets.
func compare(op string, l, r value) bool {
	if ln, ok := l.(nodeSet); ok {
		for _, e := range ln {
			if compare(op, e.Text, r) {
				return true
			}
		}
		return false
	}
	if rn, ok := r.(nodeSet); ok {
		for _, e := range rn {
			if compare(op, l, e.Text) {
				return true
			}
		}
		return false
	}
	switch op {
	case "=", "!=":
		var eq bool
		switch {
		case isBool(l) || isBool(r):
			eq = toBool(l) == toBool(r)
		case isNum(l) || isNum(r):
			eq = toNum(l) == toNum(r)
		default:
			eq = toStr(l) == toStr(r)
		}
		if op == "=" {
			return eq
		}
		return !eq
	}
	a, b := toNum(l), toNum(r)
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}

func isBool(v value) bool { _, ok := v.(bool); return ok }
func isNum(v value) bool  { _, ok := v.(float64); return ok }

func (c *evalCtx) path(p pathExpr) value {
	var cur nodeSet
	steps := p.steps
	if p.abs {
		if len(steps) == 0 {
			return nodeSet{c.root}
		}
		if localName(steps[0]) != c.root.Name {
			return nodeSet{}
		}
		cur = nodeSet{c.root}
		steps = steps[1:]
		// XForms: absolute paths through the context's repeat instances
		// refer to the context's own instance, so follow the context's
		// ancestors while the path matches them.
		anc := ancestors(c.node)
		depth := 1
		for len(steps) > 0 && depth < len(anc) && localName(steps[0]) == anc[depth].Name && anc[depth].Parent == cur[0] {
			cur = nodeSet{anc[depth]}
			steps = steps[1:]
			depth++
		}
	} else {
		cur = nodeSet{c.node}
	}
	for _, s := range steps {
		var next nodeSet
		for _, e := range cur {
			switch s {
			case ".":
				next = append(next, e)
			case "..":
				if e.Parent != nil {
					next = append(next, e.Parent)
				}
			default:
				ln := localName(s)
				for _, ch := range e.Children {
					if ch.Name == ln {
						next = append(next, ch)
					}
				}
			}
		}
		cur = next
	}
	return cur
}

// ancestors returns the chain root..e.
func ancestors(e *Elem) []*Elem {
	var out []*Elem
	for ; e != nil; e = e.Parent {
		out = append(out, e)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func localName(s string) string {
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		return s[i+1:]
	}
	return s
}
