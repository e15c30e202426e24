// Package capxml encodes and decodes OASIS CAP 1.2 messages and Vigil's Atom feed.
//
// It encodes and decodes OASIS Common Alerting Protocol (CAP) 1.2 messages —
// the alert/info/resource/area structure with polygons, circles and geocodes —
// and writes the Atom feed through which Vigil publishes verified
// community-alert incidents.
//
// Decode is hardened for untrusted input: it refuses any DOCTYPE (and so any
// entity declaration, the XML external entity attack), limits the input size,
// decodes ISO-8859-1 and US-ASCII besides UTF-8, converts CAP 1.1 to 1.2 and
// refuses CAP 1.0 with a clear message, and checks the CAP 1.2 rules that the
// XML schema cannot express (references triples, polygon closure, coordinate
// ranges). Encode writes documents that validate against the official
// cap12.xsd.
package capxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/vigil-project/vigil/internal/apperr"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Namespaces of the CAP versions.
const (
	NS12 = "urn:oasis:names:tc:emergency:cap:1.2"
	NS11 = "urn:oasis:names:tc:emergency:cap:1.1"
	NS10 = "http://www.incident.com/cap/1.0"
)

// MaxSize is the largest document Decode reads.
const MaxSize = 4 << 20

// Time is a CAP dateTime: second precision with an explicit numeric offset
// ("2003-06-17T14:57:00-07:00"; CAP forbids "Z").
type Time struct{ time.Time }

const timeLayout = "2006-01-02T15:04:05-07:00"

// MarshalText writes the CAP form.
func (t Time) MarshalText() ([]byte, error) {
	return []byte(t.Time.Truncate(time.Second).Format(timeLayout)), nil
}

// UnmarshalText parses the CAP form (and, leniently, RFC 3339 with "Z" or
// fractional seconds, which some senders emit).
func (t *Time) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("invalid CAP dateTime %q (want YYYY-MM-DDThh:mm:ss±hh:mm)", s)
	}
	t.Time = v
	return nil
}

// Alert is a CAP <alert>.
type Alert struct {
	XMLName     xml.Name `xml:"urn:oasis:names:tc:emergency:cap:1.2 alert"`
	Identifier  string   `xml:"identifier"`
	Sender      string   `xml:"sender"`
	Sent        Time     `xml:"sent"`
	Status      string   `xml:"status"`
	MsgType     string   `xml:"msgType"`
	Source      string   `xml:"source,omitempty"`
	Scope       string   `xml:"scope"`
	Restriction string   `xml:"restriction,omitempty"`
	Addresses   string   `xml:"addresses,omitempty"`
	Codes       []string `xml:"code,omitempty"`
	Note        string   `xml:"note,omitempty"`
	References  *string  `xml:"references,omitempty"`
	Incidents   string   `xml:"incidents,omitempty"`
	Infos       []Info   `xml:"info,omitempty"`
}

// Info is a CAP <info> block.
type Info struct {
	Language     string      `xml:"language,omitempty"`
	Categories   []string    `xml:"category"`
	Event        string      `xml:"event"`
	ResponseType []string    `xml:"responseType,omitempty"`
	Urgency      string      `xml:"urgency"`
	Severity     string      `xml:"severity"`
	Certainty    string      `xml:"certainty"`
	Audience     string      `xml:"audience,omitempty"`
	EventCodes   []NameValue `xml:"eventCode,omitempty"`
	Effective    *Time       `xml:"effective,omitempty"`
	Onset        *Time       `xml:"onset,omitempty"`
	Expires      *Time       `xml:"expires,omitempty"`
	SenderName   string      `xml:"senderName,omitempty"`
	Headline     string      `xml:"headline,omitempty"`
	Description  string      `xml:"description,omitempty"`
	Instruction  string      `xml:"instruction,omitempty"`
	Web          string      `xml:"web,omitempty"`
	Contact      string      `xml:"contact,omitempty"`
	Parameters   []NameValue `xml:"parameter,omitempty"`
	Resources    []Resource  `xml:"resource,omitempty"`
	Areas        []Area      `xml:"area,omitempty"`
}

// NameValue is an eventCode, parameter or geocode.
type NameValue struct {
	ValueName string `xml:"valueName"`
	Value     string `xml:"value"`
}

// Resource is a CAP <resource>.
type Resource struct {
	ResourceDesc string `xml:"resourceDesc"`
	MimeType     string `xml:"mimeType"`
	Size         *int64 `xml:"size,omitempty"`
	URI          string `xml:"uri,omitempty"`
	DerefURI     string `xml:"derefUri,omitempty"`
	Digest       string `xml:"digest,omitempty"`
}

// Area is a CAP <area>. Polygons are "lat,lon lat,lon …" (closed rings of at
// least four points); circles are "lat,lon radius_km".
type Area struct {
	AreaDesc string      `xml:"areaDesc"`
	Polygons []string    `xml:"polygon,omitempty"`
	Circles  []string    `xml:"circle,omitempty"`
	Geocodes []NameValue `xml:"geocode,omitempty"`
	Altitude *float64    `xml:"altitude,omitempty"`
	Ceiling  *float64    `xml:"ceiling,omitempty"`
}

// Point is a WGS 84 coordinate.
type Point struct{ Lat, Lon float64 }

// Circle is a parsed CAP circle.
type Circle struct {
	Center   Point
	RadiusKM float64
}

// ruleErr is a CAP rule violation naming the element path (e.g.
// "alert/info[1]/area[0]/polygon[0]"): invalid input, "cap: path: msg".
func ruleErr(path, msg string) error {
	return &apperr.Error{Kind: apperr.KindInvalid, Scope: "cap", Field: path, Msg: msg}
}

// ErrDTD is returned for any document carrying a DOCTYPE (entity
// declarations can read local files or reach the network: XXE).
var ErrDTD = errors.New("cap: DOCTYPE and entity declarations are not allowed (possible XML external entity attack)")

var (
	statuses   = set("Actual", "Exercise", "System", "Test", "Draft")
	msgTypes   = set("Alert", "Update", "Cancel", "Ack", "Error")
	scopes     = set("Public", "Restricted", "Private")
	categories = set("Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other")
	responses  = set("Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None")
	urgencies  = set("Immediate", "Expected", "Future", "Past", "Unknown")
	severities = set("Extreme", "Severe", "Moderate", "Minor", "Unknown")
	certainty  = set("Observed", "Likely", "Possible", "Unlikely", "Unknown")
	// CAP 1.1 used "Very Likely", which 1.2 folded into "Likely".
)

func set(vs ...string) map[string]bool {
	m := map[string]bool{}
	for _, v := range vs {
		m[v] = true
	}
	return m
}

// Decode reads one CAP alert. CAP 1.1 documents are converted to 1.2
// (Version reports the source version); CAP 1.0 is refused.
func Decode(r io.Reader) (*Alert, error) {
	a, _, err := DecodeVersion(r)
	return a, err
}

// DecodeVersion is Decode that also returns the source CAP version ("1.2"
// or "1.1").
func DecodeVersion(r io.Reader) (*Alert, string, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, "", fmt.Errorf("cap: read: %w", err)
	}
	if len(data) > MaxSize {
		return nil, "", fmt.Errorf("cap: document larger than %d bytes", MaxSize)
	}
	// First pass: find the root element and refuse DTDs before any
	// decoding into structures.
	dec := newDecoder(data)
	var root xml.StartElement
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				return nil, "", errors.New("cap: no root element")
			}
			return nil, "", xmlErr(dec, err)
		}
		if d, ok := tok.(xml.Directive); ok {
			if bytes.HasPrefix(bytes.TrimSpace(d), []byte("DOCTYPE")) || bytes.Contains(d, []byte("ENTITY")) {
				return nil, "", ErrDTD
			}
			return nil, "", fmt.Errorf("cap: XML directive <!%s> not allowed", firstWord(d))
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = se
			break
		}
	}
	if root.Name.Local != "alert" {
		return nil, "", fmt.Errorf("cap: root element is <%s>, want <alert>", root.Name.Local)
	}
	version := ""
	switch root.Name.Space {
	case NS12:
		version = "1.2"
	case NS11:
		version = "1.1"
	case NS10:
		return nil, "", errors.New("cap: CAP 1.0 (namespace " + NS10 + ") is not supported; resend as CAP 1.2")
	default:
		return nil, "", fmt.Errorf("cap: unknown namespace %q on <alert> (want %s)", root.Name.Space, NS12)
	}
	// Rest of the document must also be free of directives.
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", xmlErr(dec, err)
		}
		if _, ok := tok.(xml.Directive); ok {
			return nil, "", ErrDTD
		}
	}
	var wire struct {
		XMLName xml.Name
		Alert
	}
	dec = newDecoder(data)
	if err := dec.Decode(&wire); err != nil {
		return nil, "", xmlErr(dec, err)
	}
	a := wire.Alert
	a.XMLName = xml.Name{Space: NS12, Local: "alert"}
	if version == "1.1" {
		convert11(&a)
	}
	if err := a.Validate(); err != nil {
		if version == "1.1" {
			return nil, version, fmt.Errorf("%w (while converting CAP 1.1 to 1.2)", err)
		}
		return nil, version, err
	}
	return &a, version, nil
}

func firstWord(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexAny(s, " \t\r\n"); i > 0 {
		s = s[:i]
	}
	if len(s) > 20 {
		s = s[:20]
	}
	return s
}

func newDecoder(data []byte) *xml.Decoder {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.Entity = nil // only the five predefined entities
	dec.CharsetReader = charsetReader
	return dec
}

func xmlErr(dec *xml.Decoder, err error) error {
	line, col := dec.InputPos()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("cap: line %d: %s", se.Line, se.Msg)
	}
	return fmt.Errorf("cap: line %d col %d: %v", line, col, err)
}

// charsetReader decodes the single-byte encodings CAP senders use.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1", "us-ascii", "ascii":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(b)+len(b)/8)
		for _, c := range b {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q (want UTF-8 or ISO-8859-1)", label)
}

// Validate checks the CAP 1.2 rules: required elements, enumerations, and
// the semantic rules the schema cannot express.
func (a *Alert) Validate() error {
	req := func(field, v string) error {
		if strings.TrimSpace(v) == "" {
			return ruleErr(field, "required element missing or empty")
		}
		return nil
	}
	enum := func(field, v string, m map[string]bool) error {
		if !m[v] {
			return ruleErr(field, fmt.Sprintf("%q is not an allowed value", v))
		}
		return nil
	}
	for _, f := range []struct{ n, v string }{{"alert/identifier", a.Identifier}, {"alert/sender", a.Sender}} {
		if err := req(f.n, f.v); err != nil {
			return err
		}
		if strings.ContainsAny(f.v, " ,<&") {
			return ruleErr(f.n, "must not contain spaces, commas or restricted characters")
		}
	}
	if a.Sent.IsZero() {
		return ruleErr("alert/sent", "required element missing")
	}
	if err := enum("alert/status", a.Status, statuses); err != nil {
		return err
	}
	if err := enum("alert/msgType", a.MsgType, msgTypes); err != nil {
		return err
	}
	if err := enum("alert/scope", a.Scope, scopes); err != nil {
		return err
	}
	if a.Scope == "Restricted" && strings.TrimSpace(a.Restriction) == "" {
		return ruleErr("alert/restriction", "required when scope is Restricted")
	}
	if a.Scope == "Private" && strings.TrimSpace(a.Addresses) == "" {
		return ruleErr("alert/addresses", "required when scope is Private")
	}
	if a.References != nil {
		refs := strings.Fields(*a.References)
		if len(refs) == 0 {
			return ruleErr("alert/references", "empty: want space-separated sender,identifier,sent triples")
		}
		for i, ref := range refs {
			parts := strings.Split(ref, ",")
			if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
				return ruleErr("alert/references", fmt.Sprintf("entry %d %q is not a sender,identifier,sent triple", i+1, ref))
			}
			var t Time
			if err := t.UnmarshalText([]byte(parts[2])); err != nil {
				return ruleErr("alert/references", fmt.Sprintf("entry %d: %v", i+1, err))
			}
		}
	} else if a.MsgType == "Update" || a.MsgType == "Cancel" || a.MsgType == "Ack" || a.MsgType == "Error" {
		return ruleErr("alert/references", "required for msgType "+a.MsgType)
	}
	for i, in := range a.Infos {
		p := fmt.Sprintf("alert/info[%d]", i)
		if len(in.Categories) == 0 {
			return ruleErr(p+"/category", "at least one category is required")
		}
		for _, c := range in.Categories {
			if err := enum(p+"/category", c, categories); err != nil {
				return err
			}
		}
		if err := req(p+"/event", in.Event); err != nil {
			return err
		}
		for _, rt := range in.ResponseType {
			if err := enum(p+"/responseType", rt, responses); err != nil {
				return err
			}
		}
		if err := enum(p+"/urgency", in.Urgency, urgencies); err != nil {
			return err
		}
		if err := enum(p+"/severity", in.Severity, severities); err != nil {
			return err
		}
		if err := enum(p+"/certainty", in.Certainty, certainty); err != nil {
			return err
		}
		for j, r := range in.Resources {
			rp := fmt.Sprintf("%s/resource[%d]", p, j)
			if err := req(rp+"/resourceDesc", r.ResourceDesc); err != nil {
				return err
			}
			if err := req(rp+"/mimeType", r.MimeType); err != nil {
				return err
			}
		}
		for j, ar := range in.Areas {
			ap := fmt.Sprintf("%s/area[%d]", p, j)
			if err := req(ap+"/areaDesc", ar.AreaDesc); err != nil {
				return err
			}
			for k, poly := range ar.Polygons {
				if _, err := ParsePolygon(poly); err != nil {
					return ruleErr(fmt.Sprintf("%s/polygon[%d]", ap, k), err.Error())
				}
			}
			for k, c := range ar.Circles {
				if _, err := ParseCircle(c); err != nil {
					return ruleErr(fmt.Sprintf("%s/circle[%d]", ap, k), err.Error())
				}
			}
			if ar.Ceiling != nil && ar.Altitude == nil {
				return ruleErr(ap+"/ceiling", "ceiling needs altitude")
			}
		}
	}
	return nil
}

func parsePoint(s string) (Point, error) {
	la, lo, ok := strings.Cut(s, ",")
	if !ok {
		return Point{}, fmt.Errorf("point %q is not lat,lon", s)
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(la), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	if err1 != nil || err2 != nil {
		return Point{}, fmt.Errorf("point %q is not two numbers lat,lon", s)
	}
	if lat < -90 || lat > 90 || lat != lat {
		return Point{}, fmt.Errorf("latitude %v out of range [-90, 90]", lat)
	}
	if lon < -180 || lon > 180 || lon != lon {
		return Point{}, fmt.Errorf("longitude %v out of range [-180, 180]", lon)
	}
	return Point{lat, lon}, nil
}

// ParsePolygon parses a CAP polygon: at least four space-separated lat,lon
// points, the first equal to the last.
func ParsePolygon(s string) ([]Point, error) {
	f := strings.Fields(s)
	if len(f) < 4 {
		return nil, fmt.Errorf("polygon has %d points, want at least 4 (a closed ring)", len(f))
	}
	pts := make([]Point, len(f))
	for i, p := range f {
		pt, err := parsePoint(p)
		if err != nil {
			return nil, err
		}
		pts[i] = pt
	}
	if pts[0] != pts[len(pts)-1] {
		return nil, errors.New("polygon is not closed (first point differs from last)")
	}
	return pts, nil
}

// ParseCircle parses "lat,lon radius" (radius in kilometres, ≥ 0).
func ParseCircle(s string) (Circle, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return Circle{}, fmt.Errorf("circle %q is not \"lat,lon radius\"", s)
	}
	pt, err := parsePoint(f[0])
	if err != nil {
		return Circle{}, err
	}
	r, err := strconv.ParseFloat(f[1], 64)
	if err != nil || r < 0 || r != r {
		return Circle{}, fmt.Errorf("circle radius %q is not a non-negative number", f[1])
	}
	return Circle{pt, r}, nil
}

// FormatPolygon writes a closed polygon (closing it if needed).
func FormatPolygon(pts []Point) string {
	var b strings.Builder
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(formatPoint(p))
	}
	if len(pts) > 0 && pts[0] != pts[len(pts)-1] {
		b.WriteByte(' ')
		b.WriteString(formatPoint(pts[0]))
	}
	return b.String()
}

// FormatCircle writes a circle.
func FormatCircle(c Circle) string {
	return formatPoint(c.Center) + " " + strconv.FormatFloat(c.RadiusKM, 'f', -1, 64)
}

func formatPoint(p Point) string {
	return strconv.FormatFloat(p.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(p.Lon, 'f', -1, 64)
}

// Encode writes a as an indented CAP 1.2 document (UTF-8, with XML
// declaration). It validates first and refuses an invalid alert.
func Encode(w io.Writer, a *Alert) error {
	if err := a.Validate(); err != nil {
		return err
	}
	c := *a
	c.XMLName = xml.Name{Space: NS12, Local: "alert"}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(&c); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// Marshal is Encode into a byte slice.
func Marshal(a *Alert) ([]byte, error) {
	var b bytes.Buffer
	if err := Encode(&b, a); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// convert11 maps the CAP 1.1 differences onto 1.2: "Very Likely" certainty
// became "Likely", and 1.1 senders commonly wrote empty <polygon/> and
// <circle/> elements, which carry nothing and are dropped.
func convert11(a *Alert) {
	for i := range a.Infos {
		in := &a.Infos[i]
		if in.Certainty == "Very Likely" {
			in.Certainty = "Likely"
		}
		for j := range in.Areas {
			ar := &in.Areas[j]
			ar.Polygons = nonEmpty(ar.Polygons)
			ar.Circles = nonEmpty(ar.Circles)
		}
	}
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}
