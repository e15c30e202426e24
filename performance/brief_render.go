package performance

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// WriteHTML writes the brief as one self-contained printable page (no
// script, no external resources; the map and sparklines are inline SVG).
func (b *Brief) WriteHTML(w io.Writer) error {
	return briefHTML.Execute(w, b)
}

// SparkSVG draws a sparkline as inline SVG.
func (b *Brief) SparkSVG(s []*float64) template.HTML {
	lo, hi, ok := sparkRange(s)
	if !ok {
		return ""
	}
	var pts []string
	for i, x := range s {
		if x == nil {
			continue
		}
		y := 14.0
		if hi > lo {
			y = 18 - 16*(*x-lo)/(hi-lo)
		}
		pts = append(pts, fmt.Sprintf("%d,%.1f", 2+i*8, y))
	}
	return template.HTML(fmt.Sprintf(`<svg width="96" height="20" role="img" aria-label="%s"><polyline fill="none" stroke="#1f4e79" stroke-width="1.5" points="%s"/></svg>`,
		template.HTMLEscapeString(b.tr("last12")), strings.Join(pts, " ")))
}

// MapSVG draws the map as inline SVG: cells shaded by risk class,
// outlined in blue where a site reaches them, struck through where they
// are a gap; incidents as dots coloured by state.
func (b *Brief) MapSVG() template.HTML {
	if len(b.Map.Cells) == 0 {
		return ""
	}
	const W = 520.0
	pr := b.projection(W)
	cuts := riskClasses(b.Map.Cells)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg width="%.0f" height="%.0f" role="img" aria-label="%s">`, W, pr.h, template.HTMLEscapeString(b.tr("map")))
	for _, c := range b.Map.Cells {
		col := riskColours[riskClass(c.Risk, cuts)]
		x, y := pr.corner(c)
		stroke := ""
		if c.Covered {
			stroke = ` stroke="#1f4e79" stroke-width="1"`
		}
		fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="rgb(%d,%d,%d)"%s/>`, x, y, pr.cell, pr.cell, col[0], col[1], col[2], stroke)
		if c.Gap {
			fmt.Fprintf(&sb, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#222" stroke-width="0.8"/>`, x, y+pr.cell, x+pr.cell, y)
		}
	}
	for _, in := range b.Map.Incidents {
		x, y := pr.point(in.Lat, in.Lon)
		col := incidentColours[in.State]
		fmt.Fprintf(&sb, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="rgb(%d,%d,%d)" stroke="#fff" stroke-width="1"/>`, x, y, col[0], col[1], col[2])
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// incidentColours: each incident state's dot (RGB).
var incidentColours = map[string][3]int{"awaiting-triage": {118, 42, 131}, "awaiting-response": {230, 97, 1}, "dealt-with": {27, 120, 55}, "not-confirmed": {140, 140, 140}}

// mapProjection places cells (0.5° squares) and points on a drawing of
// width w: longitude right, latitude up, the same scale both ways.
type mapProjection struct {
	minLat, maxLat, minLon, maxLon float64
	scale, cell, h                 float64
}

func (b *Brief) projection(w float64) mapProjection {
	p := mapProjection{}
	p.minLat, p.maxLat, p.minLon, p.maxLon = bounds(b.Map.Cells)
	p.scale = w / (p.maxLon - p.minLon + 0.5)
	p.cell, p.h = 0.5*p.scale, (p.maxLat-p.minLat+0.5)*p.scale
	return p
}

// fit scales p to fit within w × h.
func (p mapProjection) fit(w, h float64) mapProjection {
	p.scale = math.Min(w/(p.maxLon-p.minLon+0.5), h/(p.maxLat-p.minLat+0.5))
	p.cell, p.h = 0.5*p.scale, (p.maxLat-p.minLat+0.5)*p.scale
	return p
}

// corner is a cell's top left corner (its centre is 0.25° from each edge).
func (p mapProjection) corner(c MapCell) (x, y float64) {
	return (c.Lon - p.minLon) * p.scale, (p.maxLat - c.Lat) * p.scale
}

func (p mapProjection) point(lat, lon float64) (x, y float64) {
	return (lon - p.minLon + 0.25) * p.scale, (p.maxLat - lat + 0.25) * p.scale
}

// LegendEntry is one line of the map's legend: its symbol (a risk class's
// fill, the coverage outline, the gap's stroke or an incident state's dot)
// and its text in the brief's language.
type LegendEntry struct {
	Symbol string // fill, outline, gap, dot; "" for a heading
	RGB    [3]int
	Text   string
}

// MapLegend is the map's legend: the risk classes (their bounds in the
// shading's unit), coverage and gaps when known, and the incident states
// with their counts.
func (b *Brief) MapLegend() []LegendEntry {
	var out []LegendEntry
	if b.Map.Shading != "" {
		cuts := riskClasses(b.Map.Cells)
		// The classes' unit: a cell's forecast probability for the month, or
		// its violent events in the 12 months before ("≤ 1 event").
		out = append(out, LegendEntry{Text: b.trf("map.classes."+b.Map.Shading, "{month}", b.MonthText()) + b.colon()}, LegendEntry{"fill", riskColours[0], b.tr("map.norisk.cell")})
		f := func(x float64) string {
			if b.Map.Shading == "forecast" {
				return b.num(&x, "share")
			}
			return b.loc("%g", x)
		}
		unit := func(x float64) string {
			if b.Map.Shading == "forecast" {
				return ""
			}
			return " " + UnitLabelN("events", b.Lang, x)
		}
		if len(cuts) == 3 {
			for k, t := range []string{"≤ " + f(cuts[0]) + unit(cuts[0]), f(cuts[0]) + " – " + f(cuts[1]) + unit(cuts[1]), f(cuts[1]) + " – " + f(cuts[2]) + unit(cuts[2]), "> " + f(cuts[2]) + unit(cuts[2])} {
				out = append(out, LegendEntry{"fill", riskColours[k+1], t})
			}
		}
	}
	if b.Map.Coverage {
		out = append(out, LegendEntry{"outline", [3]int{31, 78, 121}, b.tr("map.covered")}, LegendEntry{"gap", [3]int{34, 34, 34}, b.tr("map.gap")})
	}
	if b.Map.Incidents != nil && len(b.Map.Cells) > 0 {
		n := map[string]int{}
		for _, in := range b.Map.Incidents {
			n[in.State]++
		}
		out = append(out, LegendEntry{Text: b.tr("map.incidents") + b.colon()})
		for _, st := range incidentStates {
			out = append(out, LegendEntry{"dot", incidentColours[st], b.tr(st) + b.colon() + b.Count(n[st])})
		}
	}
	return out
}

// MapNotes are what the map lacks and why (its text after the caption).
func (b *Brief) MapNotes() []string {
	if len(b.Map.Text) < 2 {
		return nil
	}
	return b.Map.Text[1:]
}

// colon separates a label from its value: "label: 3", in French "label : 3".
func (b *Brief) colon() string {
	if b.Lang == "fr" {
		return "\u00a0: "
	}
	return ": "
}

// symbol draws the entry's symbol in a 12 × 12 SVG (none for a heading).
func (e LegendEntry) symbol() string {
	if e.Symbol == "" {
		return ""
	}
	c := fmt.Sprintf("rgb(%d,%d,%d)", e.RGB[0], e.RGB[1], e.RGB[2])
	switch e.Symbol {
	case "outline":
		return `<rect x="1" y="1" width="10" height="10" fill="#f5f5f5" stroke="` + c + `" stroke-width="1.5"/>`
	case "gap":
		return `<rect x="1" y="1" width="10" height="10" fill="rgb(251,106,74)"/><line x1="1" y1="11" x2="11" y2="1" stroke="` + c + `" stroke-width="1.2"/>`
	case "dot":
		return `<circle cx="6" cy="6" r="4" fill="` + c + `"/>`
	}
	return `<rect x="1" y="1" width="10" height="10" fill="` + c + `" stroke="#999" stroke-width="0.5"/>`
}

// Symbol is the entry's symbol as inline SVG.
func (e LegendEntry) SVG() template.HTML {
	if e.Symbol == "" {
		return ""
	}
	return template.HTML(`<svg width="12" height="12" aria-hidden="true">` + e.symbol() + `</svg>`)
}

func bounds(cs []MapCell) (minLat, maxLat, minLon, maxLon float64) {
	minLat, minLon, maxLat, maxLon = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range cs {
		minLat, maxLat = math.Min(minLat, c.Lat), math.Max(maxLat, c.Lat)
		minLon, maxLon = math.Min(minLon, c.Lon), math.Max(maxLon, c.Lon)
	}
	return
}

var briefHTML = template.Must(template.New("brief").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.T "title"}} — {{.MonthText}}</title>
<style>
body{font-family:system-ui,sans-serif;color:#111;max-width:60rem;margin:1rem auto;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;border-bottom:1px solid #888;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border-bottom:1px solid #ccc;padding:.25rem;text-align:left;vertical-align:top}
.s-improving,.s-on-track{color:#145a32}.s-worsening,.s-off-track{color:#922b21}.fired{color:#922b21;font-weight:bold}.why{color:#444;font-size:.75rem}
.legend{list-style:none;padding:0;font-size:.8rem}.legend li{margin:.1rem 0}
tr.objective th{background:#eee}tr.result th{font-weight:normal;font-style:italic;padding-left:1rem}
@media print{body{margin:0}h2{break-after:avoid}}
</style></head><body>
<h1>{{.T "title"}} — {{.MonthText}}</h1>
<p>{{.T "generated"}}{{.Colon}}{{.GeneratedText}}</p>
<h2>{{.T "headlines"}}</h2>
<table><thead><tr><th scope="col">{{.T "indicator"}}</th><th scope="col">{{.T "area"}}</th><th scope="col">{{.T "value"}}</th><th scope="col">{{.T "range"}}</th><th scope="col">{{.T "last12"}}</th><th scope="col">{{.T "trend"}}</th></tr></thead><tbody>
{{range .Headlines}}{{template "row" (.Row $)}}{{end}}
</tbody></table>
{{if .Targets}}<h2>{{.T "targets"}}{{if .Mission}} — {{.Mission}}{{end}}</h2>
<p class="why">{{.T "targets.rule"}}</p>
<table><thead><tr><th scope="col">{{.T "indicator"}}</th><th scope="col">{{.T "area"}}</th><th scope="col">{{.T "value"}}</th><th scope="col">{{.T "range"}}</th><th scope="col">{{.T "target"}}</th><th scope="col">{{.T "status"}}</th></tr></thead><tbody>
{{range .TargetRows}}{{if .Objective}}<tr class="objective"><th colspan="6">{{.Objective}}</th></tr>
{{end}}{{if .Result}}<tr class="result"><th colspan="6">{{.Result}}</th></tr>
{{end}}<tr><td>{{.Name}}</td><td>{{.Area}}</td><td>{{.Value}}</td><td>{{.Range}}</td><td>{{.Target}}</td><td class="s-{{.StatusClass}}">{{.Status}}<div class="why">{{.Reason}}</div></td></tr>
{{end}}</tbody></table>{{end}}
{{if .Decisions}}<h2>{{.T "decisions"}}</h2>
{{range .Decisions}}<h3>{{.Gap}}</h3><ul>{{range .Options}}<li>{{$.OptionLine .}}</li>{{end}}</ul>{{end}}{{end}}
<h2>{{.T "alerts"}}</h2>
<table><tbody>{{range .Alerts}}{{template "row" (.Row $)}}{{end}}</tbody></table>
{{if .Perception}}<h2>{{.T "perception"}}</h2><table><tbody>{{range .Perception}}{{template "row" (.Row $)}}{{end}}</tbody></table>{{end}}
<h2>{{.T "watch"}}</h2>
{{with .Watch}}{{if .DiD}}<p>{{$.DiDLine}}</p>{{end}}{{end}}
{{if .WatchRecent}}<ul>{{range .WatchRecent}}<li{{if .Fired}} class="fired"{{end}}>{{$.WatchLine .}}</li>{{end}}</ul>{{else}}<p>{{.T "nowatch"}}</p>{{end}}
{{if .WatchFigures}}<details class="analysts"><summary>{{.T "analysts"}}</summary>{{with .Watch}}{{if .DiD}}<p>{{$.DiDDetail}}</p>{{end}}{{end}}<ul>{{range .WatchFigures}}<li>{{.}}</li>{{end}}</ul></details>{{end}}
<h2>{{.T "map"}}</h2>{{with .Map.Text}}<p>{{index . 0}}</p>{{end}}{{.MapSVG}}
{{with .MapLegend}}<ul class="legend" aria-label="{{$.T "map.legend"}}">{{range .}}<li>{{.SVG}} {{.Text}}</li>{{end}}</ul>{{end}}
{{with .MapNotes}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
<h2>{{.T "caveats"}}</h2><ul>{{range .Caveats}}<li>{{.}}</li>{{end}}</ul>
<h2>{{.T "sources"}}</h2><ul>{{range .Sources}}<li>{{$.SourceName .}}{{$.Colon}}{{$.Count .Rows}} {{$.T "rows"}}, {{$.SpanText .}}, sha256 {{.SHA256}}</li>{{end}}</ul>
</body></html>
{{define "row"}}<tr><td>{{.Name}}</td><td>{{.Area}}</td><td>{{.Value}}</td><td>{{.Range}}</td><td>{{.Spark}}</td><td class="s-{{.StatusClass}}">{{.Status}}</td></tr>
{{end}}`))

// BriefRow is one table row of the brief, in its language.
type BriefRow struct {
	Name, Area, Value, Range, Status, StatusClass string
	Spark                                         template.HTML
}

// Row renders a headline for the brief b.
func (h Headline) Row(b *Brief) BriefRow {
	name := b.name(h.Def)
	if h.Label != "" { // under its section's heading, the row's own label
		name = InLang(b.Lang, h.Label, h.LabelFR)
	}
	return BriefRow{Name: name, Area: b.areaLabel(h.Value.Area), Value: b.valueText(h.Value), Range: b.rangeText(h.Value),
		Status: b.tr(string(h.Trend.Status)), StatusClass: strings.ReplaceAll(string(h.Trend.Status), " ", "-"), Spark: b.SparkSVG(h.Spark)}
}

// TargetRow is one framework indicator's row of the brief: its id and
// indicator name, area, value, interval, the month's target and status.
type TargetRow struct {
	// Objective and Result head the rows of an objective and of a result
	// with its id and title in the brief's language ("poc — Protection des
	// civils"), on the first row of each (TargetRows); empty otherwise.
	Objective, Result                                     string
	Name, Area, Value, Range, Target, Status, StatusClass string
	// Reason says why the status is what it is, in the brief's language.
	Reason string
}

// TargetRow renders a framework indicator's status for the brief.
func (b *Brief) TargetRow(s IndicatorStatus) TargetRow {
	name := s.ID
	if d, ok := Lookup(s.Indicator); ok && d.ID != "manual" {
		name += " — " + b.name(d)
	}
	if s.Label != "" { // a perception indicator: its form's words
		name = s.ID + " — " + InLang(b.Lang, s.Label, s.LabelFR)
	}
	tg := "—"
	if s.Target != nil {
		tg = b.level(s.Target, s.Value.Unit)
	}
	reason := s.Status.Msg
	if CountUnits[s.Value.Unit] && len(reason.Args) > 0 { // its bounds, target and baseline whole, as the row's
		reason.Args = maps.Clone(reason.Args)
		reason.Args["scale"] = "count"
	}
	why := reason.Text(b.Lang)
	if s.TargetNote != nil { // a month judged against its year's target: which, and how
		why += " (" + s.TargetNote.Text(b.Lang) + ")"
	}
	return TargetRow{Name: name, Area: b.areaLabel(s.Value.Area), Value: b.valueText(s.Value), Range: b.rangeText(s.Value), Target: tg,
		Status: b.tr(string(s.Status.Status)), StatusClass: strings.ReplaceAll(string(s.Status.Status), " ", "-"), Reason: why}
}

// TargetRows are the rows of the brief's framework table, in the order of
// its Targets, the first of each objective and of each result headed by
// its title in the brief's language (the English one when the framework
// has no French).
func (b *Brief) TargetRows() []TargetRow {
	heading := func(id, title string) string {
		if title == "" {
			return id
		}
		return id + " — " + title
	}
	out := make([]TargetRow, len(b.Targets))
	for i, s := range b.Targets {
		out[i] = b.TargetRow(s)
		newObjective := i == 0 || s.Objective != b.Targets[i-1].Objective
		if newObjective {
			out[i].Objective = heading(s.Objective, InLang(b.Lang, s.ObjectiveTitle, s.ObjectiveTitleFR))
		}
		if newObjective || s.Result != b.Targets[i-1].Result {
			out[i].Result = heading(s.Result, InLang(b.Lang, s.ResultTitle, s.ResultTitleFR))
		}
	}
	return out
}

// SourceName names a data source in the brief's language.
func (b *Brief) SourceName(s Source) string {
	if s.NameMsg != nil {
		return s.NameMsg.Text(b.Lang)
	}
	return SourceLabel(s.Name, b.Lang)
}

// OptionLine describes an option and its effects on covered weight, the
// planner's own numbers (the same as GET …/options).
func (b *Brief) OptionLine(o OptionView) string {
	head := fmt.Sprintf("%s (%s, %s)", InLang(b.Lang, o.Scenario, o.ScenarioFR), b.strategy(o.Kind), PeriodWords(o.Month, b.Lang))
	if o.Problem != "" {
		return head + b.Colon() + MsgText(o.ProblemMsg, b.Lang)
	}
	var parts []string
	for _, e := range o.Effects {
		p := fmt.Sprintf("%s%s%s → %s", b.strategy(e.Strategy), b.Colon(), b.num(&e.Before, ""), b.num(&e.After, ""))
		if e.ShareBefore != nil && e.ShareAfter != nil {
			p += fmt.Sprintf(" (%s → %s)", b.num(e.ShareBefore, "share"), b.num(e.ShareAfter, "share"))
		}
		if e.Cost != nil {
			p += ", " + b.num(e.Cost, "")
		}
		if names := e.SiteNames(b.Lang); len(names) > 0 {
			p += " [" + strings.Join(names, "; ") + "]"
		}
		parts = append(parts, p)
	}
	s := head + b.Colon() + strings.Join(parts, "; ")
	if o.Note != "" {
		s += " — " + o.Note
	}
	return s
}

// DiDLine is what the watch found, in plain words of the brief's language
// for leadership (WatchWords), with its counts; DiDDetail has the numbers
// for analysts.
func (b *Brief) DiDLine() string {
	w := b.Watch
	counts := "did.counts"
	if w.Fired == 1 {
		counts = "did.counts.once"
	}
	return MsgText(WatchWords(w), b.Lang) + " " + b.trf(counts, "{evaluated}", b.Count(w.Evaluated), "{found}", b.Count(w.Found), "{fired}", b.Count(w.Fired))
}

// DiDDetail is the watch's mean difference-in-differences with its
// interval, in the brief's language, for analysts.
func (b *Brief) DiDDetail() string {
	w := b.Watch
	return fmt.Sprintf("%s %s %s", b.tr("did"), b.r2(*w.DiD), b.interval(b.r2(*w.DiDLow), b.r2(*w.DiDHigh)))
}

// strategy names a coverage scenario's kind or an option's strategy (plan,
// try, cut; a cut's targeted or thinning) in the brief's language, as the
// Coverage page does; another as it is.
func (b *Brief) strategy(k string) string {
	if _, ok := briefLabels["strategy."+k]; ok {
		return b.tr("strategy." + k)
	}
	return k
}

// Count writes a whole number in the brief's language (1 234 in French).
func (b *Brief) Count(n int) string { return LocalNumber(strconv.Itoa(n), b.Lang) }

// T translates a label (for the template).
func (b *Brief) T(key string) string { return b.tr(key) }

// GeneratedText is the generation time.
func (b *Brief) GeneratedText() string { return fmtDate(b.Generated, b.Lang) }

// MonthText is the brief's month in words of its language ("December 2018").
func (b *Brief) MonthText() string { return b.Month.Words(b.Lang) }

// SpanText is the months a source's data span, in words of the brief's language.
func (b *Brief) SpanText(s Source) string { return PeriodWords(s.Span, b.Lang) }

// WatchLine describes one withdrawal.
func (b *Brief) WatchLine(w Withdrawal) string { return w.summary(b) }

// WatchFigures are the evaluated recent withdrawals' numbers for analysts
// (matched expectation, difference-in-differences, p-value), one line each.
func (b *Brief) WatchFigures() []string {
	var out []string
	for _, w := range b.WatchRecent {
		if w.Status == WEvaluated {
			out = append(out, w.figures(b))
		}
	}
	return out
}

// WritePDF writes the brief as PDF (A4 portrait, core fonts, vector map
// and sparklines; no external resources).
func (b *Brief) WritePDF(w io.Writer) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(b.Generated)
	pdf.SetModificationDate(b.Generated)
	pdf.SetCatalogSort(true)
	// Uncompressed: the brief is small, and its numbers stay searchable
	// (tests check them against the API values).
	pdf.SetCompression(false)
	pdf.SetTitle(b.tr("title")+" "+b.MonthText(), true)
	pdf.SetCreator("Vigil", true)
	pdf.SetMargins(12, 12, 12)
	pdf.SetAutoPageBreak(true, 12)
	utf := pdf.UnicodeTranslatorFromDescriptor("")
	t := func(s string) string {
		// The core fonts' code page (cp1252) has no narrow no-break space:
		// French numbers take the no-break space (0xA0) instead. (A minus
		// sign is printed by cell and multi.)
		s = strings.NewReplacer(nnbsp, "\u00a0", "∞", "inf", "≥", ">=", "≤", "<=", "÷", "/", "→", "->").Replace(s)
		return utf(s)
	}
	cell, multi := pdfMinus(pdf, t)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 15)
	cell(0, 8, b.tr("title")+" — "+b.MonthText(), "", 1)
	pdf.SetFont("Helvetica", "", 8)
	cell(0, 5, b.tr("generated")+b.Colon()+b.GeneratedText(), "", 1)
	section := func(key string) {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "B", 11)
		cell(0, 7, b.tr(key), "B", 1)
		pdf.SetFont("Helvetica", "", 7.5)
	}
	widths := []float64{58, 30, 25, 40, 22, 11}
	table := func(hs []Headline) {
		pdf.SetFont("Helvetica", "B", 7.5)
		for i, k := range []string{"indicator", "area", "value", "range", "last12", ""} {
			label := ""
			if k != "" {
				label = b.tr(k)
			}
			if i == 5 {
				label = ""
			}
			cell(widths[i], 5, label, "B", 0)
		}
		pdf.Ln(-1)
		pdf.SetFont("Helvetica", "", 7.5)
		for _, h := range hs {
			r := h.Row(b)
			if pdf.GetY() > 270 {
				pdf.AddPage()
			}
			// A name wider than its column wraps on lines of its own
			// height; the row's other cells stand beside its first line.
			x0, y := pdf.GetX(), pdf.GetY()
			lh := 5.0
			if pdf.GetStringWidth(t(r.Name)) > widths[0]-2 {
				lh = 3.6
			}
			multi(widths[0], lh, r.Name)
			end := math.Max(pdf.GetY(), y+5)
			pdf.SetXY(x0+widths[0], y)
			cell(widths[1], 5, r.Area, "", 0)
			// A value in words (the forecast's skill) wraps in its column too.
			if pdf.GetStringWidth(t(r.Value)) > widths[2]-2 {
				multi(widths[2], 3.6, r.Value)
				end = math.Max(end, pdf.GetY())
				pdf.SetXY(x0+widths[0]+widths[1]+widths[2], y)
			} else {
				cell(widths[2], 5, r.Value, "", 0)
			}
			cell(widths[3], 5, r.Range, "", 0)
			x := pdf.GetX()
			b.pdfSpark(pdf, h.Spark, x+1, y+0.5, widths[4]-3, 4)
			pdf.SetX(x + widths[4])
			cell(0, 5, r.Status, "", 1)
			pdf.SetY(end)
		}
	}
	section("headlines")
	table(b.Headlines)
	if len(b.Targets) > 0 {
		section("targets")
		pdf.SetTextColor(68, 68, 68)
		multi(0, 3.5, b.tr("targets.rule"))
		pdf.SetTextColor(0, 0, 0)
		tw := []float64{58, 30, 25, 40, 18}
		pdf.SetFont("Helvetica", "B", 7.5)
		for i, k := range []string{"indicator", "area", "value", "range", "target"} {
			cell(tw[i], 5, b.tr(k), "B", 0)
		}
		cell(0, 5, b.tr("status"), "B", 1)
		pdf.SetFont("Helvetica", "", 7.5)
		for _, r := range b.TargetRows() {
			if pdf.GetY() > 270 {
				pdf.AddPage()
			}
			for _, h := range []struct {
				text, style string
			}{{r.Objective, "B"}, {r.Result, "I"}} {
				if h.text != "" {
					pdf.SetFont("Helvetica", h.style, 7.5)
					multi(0, 4.5, h.text)
				}
			}
			pdf.SetFont("Helvetica", "", 7.5)
			for i, c := range []string{r.Name, r.Area, r.Value, r.Range, r.Target} {
				cell(tw[i], 5, c, "", 0)
			}
			cell(0, 5, r.Status, "", 1)
			pdf.SetTextColor(68, 68, 68)
			pdf.SetX(pdf.GetX() + tw[0])
			multi(0, 3.5, r.Reason)
			pdf.SetTextColor(0, 0, 0)
		}
	}
	if len(b.Decisions) > 0 {
		section("decisions")
		for _, g := range b.Decisions {
			pdf.SetFont("Helvetica", "B", 8)
			multi(0, 4.5, g.Gap)
			pdf.SetFont("Helvetica", "", 7.5)
			for _, o := range g.Options {
				multi(0, 4, "• "+b.OptionLine(o))
			}
		}
	}
	section("alerts")
	table(b.Alerts)
	if len(b.Perception) > 0 {
		section("perception")
		table(b.Perception)
	}
	section("watch")
	if b.Watch != nil && b.Watch.DiD != nil {
		multi(0, 4, b.DiDLine())
	}
	if len(b.WatchRecent) == 0 {
		multi(0, 4, b.tr("nowatch"))
	}
	for _, x := range b.WatchRecent {
		if x.Fired {
			pdf.SetTextColor(146, 43, 33)
		}
		multi(0, 4, "• "+x.summary(b))
		pdf.SetTextColor(0, 0, 0)
	}
	// The numbers for analysts, smaller and grey, after the plain words.
	if figs := b.WatchFigures(); len(figs) > 0 {
		pdf.SetTextColor(68, 68, 68)
		pdf.SetFont("Helvetica", "", 6.5)
		multi(0, 3.5, b.tr("analysts")+b.colon())
		if b.Watch != nil && b.Watch.DiD != nil {
			multi(0, 3.5, b.DiDDetail())
		}
		for _, f := range figs {
			multi(0, 3.5, "• "+f)
		}
		pdf.SetFont("Helvetica", "", 7.5)
		pdf.SetTextColor(0, 0, 0)
	}
	if pdf.GetY() > 150 {
		pdf.AddPage()
	}
	section("map")
	if len(b.Map.Text) > 0 {
		multi(0, 4, b.Map.Text[0])
	}
	if len(b.Map.Cells) > 0 {
		pr := b.projection(186).fit(186, 100)
		x0, y0 := 12.0, pdf.GetY()+2
		cuts := riskClasses(b.Map.Cells)
		pdf.SetLineWidth(0.15)
		for _, c := range b.Map.Cells {
			col := riskColours[riskClass(c.Risk, cuts)]
			pdf.SetFillColor(col[0], col[1], col[2])
			style := "F"
			if c.Covered {
				pdf.SetDrawColor(31, 78, 121)
				style = "FD"
			}
			x, y := pr.corner(c)
			pdf.Rect(x0+x, y0+y, pr.cell, pr.cell, style)
			if c.Gap {
				pdf.SetDrawColor(34, 34, 34)
				pdf.Line(x0+x, y0+y+pr.cell, x0+x+pr.cell, y0+y)
			}
		}
		pdf.SetDrawColor(255, 255, 255)
		for _, in := range b.Map.Incidents {
			x, y := pr.point(in.Lat, in.Lon)
			col := incidentColours[in.State]
			pdf.SetFillColor(col[0], col[1], col[2])
			pdf.Circle(x0+x, y0+y, 1.1, "FD")
		}
		pdf.SetDrawColor(0, 0, 0)
		pdf.SetY(y0 + pr.h + 2)
		for _, e := range b.MapLegend() {
			if pdf.GetY() > 280 {
				pdf.AddPage()
			}
			x, y := pdf.GetX(), pdf.GetY()
			pdf.SetFillColor(e.RGB[0], e.RGB[1], e.RGB[2])
			switch e.Symbol {
			case "outline":
				pdf.SetDrawColor(e.RGB[0], e.RGB[1], e.RGB[2])
				pdf.SetFillColor(245, 245, 245)
				pdf.Rect(x, y+0.5, 3, 3, "FD")
			case "gap":
				pdf.SetFillColor(251, 106, 74)
				pdf.Rect(x, y+0.5, 3, 3, "F")
				pdf.SetDrawColor(e.RGB[0], e.RGB[1], e.RGB[2])
				pdf.Line(x, y+3.5, x+3, y+0.5)
			case "dot":
				pdf.Circle(x+1.5, y+2, 1.1, "F")
			case "":
				x -= 5
			default:
				pdf.SetDrawColor(153, 153, 153)
				pdf.Rect(x, y+0.5, 3, 3, "FD")
			}
			pdf.SetDrawColor(0, 0, 0)
			pdf.SetX(x + 5)
			multi(0, 4, e.Text)
		}
	}
	for _, n := range b.MapNotes() {
		multi(0, 4, "• "+n)
	}
	section("caveats")
	for _, c := range b.Caveats {
		multi(0, 4, "• "+c)
	}
	section("sources")
	for _, s := range b.Sources {
		multi(0, 4, fmt.Sprintf("%s%s%s %s, %s, sha256 %s", b.SourceName(s), b.Colon(), b.Count(s.Rows), b.tr("rows"), b.SpanText(s), s.SHA256))
	}
	return pdf.Output(w)
}

// pdfMinus returns the brief's PDF's text writers: cell (CellFormat) and
// multi (MultiCell), left aligned, their text put through t (UTF-8 to the
// core fonts' cp1252). A minus sign (U+2212: French negative numbers,
// "after − before"), which cp1252 lacks, is printed from the core Symbol
// font, whose 0x2D glyph is the minus sign; the text around it in the
// current font, wrapped as MultiCell wraps (by words, within the column).
func pdfMinus(pdf *fpdf.Fpdf, t func(string) string) (cell func(w, h float64, s, border string, ln int), multi func(w, h float64, s string)) {
	const minus = "\u2212"
	// fpdf knows no Symbol font (its "symbol" is ZapfDingbats): it is
	// declared here as the core font it is, with the widths of the two
	// glyphs used (space 250, minus 549 per 1000).
	cw := make([]int, 256)
	cw[' '], cw['-'] = 250, 549
	def, _ := json.Marshal(map[string]any{"Tp": "Core", "Name": "Symbol", "Up": -100, "Ut": 50, "Cw": cw})
	pdf.AddFontFromBytes("vigil-symbol", "", def, nil)
	// each shows s's pieces in the current font, a minus between two from
	// the Symbol font, by show.
	each := func(s string, show func(string)) {
		family, style := pdf.GetFontFamily(), pdf.GetFontStyle()
		size, _ := pdf.GetFontSize()
		for i, part := range strings.Split(s, minus) {
			if i > 0 {
				pdf.SetFont("vigil-symbol", "", size)
				show("-")
				pdf.SetFont(family, style, size)
			}
			if part != "" {
				show(t(part))
			}
		}
	}
	cell = func(w, h float64, s, border string, ln int) {
		if !strings.Contains(s, minus) {
			pdf.CellFormat(w, h, t(s), border, ln, "L", false, 0, "")
			return
		}
		x, y := pdf.GetX(), pdf.GetY()
		pdf.CellFormat(w, h, "", border, 0, "L", false, 0, "")
		m := pdf.GetCellMargin()
		pdf.SetXY(x+m, y)
		pdf.SetCellMargin(0)
		each(s, func(p string) { pdf.CellFormat(pdf.GetStringWidth(p), h, p, "", 0, "L", false, 0, "") })
		pdf.SetCellMargin(m)
		if ln == 1 {
			lm, _, _, _ := pdf.GetMargins()
			pdf.SetXY(lm, y+h)
		} else {
			pdf.SetXY(x+w, y)
		}
	}
	multi = func(w, h float64, s string) {
		if !strings.Contains(s, minus) {
			pdf.MultiCell(w, h, t(s), "", "L", false)
			return
		}
		lm, _, rm, _ := pdf.GetMargins()
		pw, _ := pdf.GetPageSize()
		x := pdf.GetX()
		if w == 0 {
			w = pw - rm - x
		}
		// Write wraps within the margins and pads each line by the cell
		// margin, as MultiCell does its box.
		pdf.SetLeftMargin(x)
		pdf.SetRightMargin(pw - x - w)
		pdf.SetX(x)
		each(s, func(p string) { pdf.Write(h, p) })
		pdf.Ln(h)
		pdf.SetLeftMargin(lm)
		pdf.SetRightMargin(rm)
		pdf.SetX(lm)
	}
	return cell, multi
}

func (b *Brief) pdfSpark(pdf *fpdf.Fpdf, s []*float64, x, y, w, h float64) {
	lo, hi, ok := sparkRange(s)
	if !ok {
		return
	}
	pdf.SetDrawColor(31, 78, 121)
	pdf.SetLineWidth(0.3)
	var px, py float64
	first := true
	for i, v := range s {
		if v == nil {
			first = true
			continue
		}
		cx := x + w*float64(i)/float64(max(len(s)-1, 1))
		cy := y + h/2
		if hi > lo {
			cy = y + h - h*(*v-lo)/(hi-lo)
		}
		if !first {
			pdf.Line(px, py, cx, cy)
		}
		px, py, first = cx, cy, false
	}
	pdf.SetDrawColor(0, 0, 0)
}
