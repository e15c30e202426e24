package contacts

import (
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/vigil-project/vigil/internal/apperr"
	"io"
	"strconv"
	"strings"
)

// Row is one parsed CSV row, Where naming it (FILE:LINE).
type Row struct {
	Where string
	Input Input
}

// MaxImportRows bounds one import.
const MaxImportRows = 200000

// ParseCSV reads a contacts file with a header row: phone (required), and
// any of name, language, groups (separated by ';' or '|'), place, lat, lon,
// consent. Every error names FILE:LINE (and the column); nothing is
// returned on error. consentHow is used for rows without a consent column.
func ParseCSV(r io.Reader, file, consentHow string) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err == io.EOF {
		return nil, fieldErr(file+":1", "empty file: want a header row (phone,name,language,groups,place or lat,lon)")
	}
	if err != nil {
		return nil, csvErr(file, err)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch h {
		case "phone", "name", "language", "groups", "place", "lat", "lon", "consent":
		default:
			return nil, fieldErrf(fmt.Sprintf("%s:1", file), "unknown column %q (want phone,name,language,groups,place,lat,lon,consent)", h)
		}
		if _, dup := col[h]; dup {
			return nil, fieldErrf(fmt.Sprintf("%s:1", file), "column %q twice", h)
		}
		col[h] = i
	}
	if _, ok := col["phone"]; !ok {
		return nil, fieldErr(file+":1", "no phone column")
	}
	if _, la := col["lat"]; la != hasCol(col, "lon") {
		return nil, fieldErr(file+":1", "lat and lon come together")
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(file, err)
		}
		line, _ := cr.FieldPos(0)
		where := fmt.Sprintf("%s:%d", file, line)
		if len(rec) != len(head) {
			return nil, fieldErrf(where, "wrong number of fields: %d, the header has %d", len(rec), len(head))
		}
		get := func(k string) string {
			if i, ok := col[k]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		in := Input{Phone: get("phone"), Name: get("name"), Language: get("language"), Place: get("place"), ConsentHow: get("consent")}
		if in.ConsentHow == "" {
			in.ConsentHow = consentHow
		}
		if g := get("groups"); g != "" {
			in.Groups = strings.FieldsFunc(g, func(r rune) bool { return r == ';' || r == '|' })
		}
		if la, lo := get("lat"), get("lon"); la != "" || lo != "" {
			x, err1 := strconv.ParseFloat(la, 64)
			y, err2 := strconv.ParseFloat(lo, 64)
			if err1 != nil || err2 != nil {
				return nil, fieldErrf(where+": lat,lon", "%q,%q is not a latitude,longitude", la, lo)
			}
			in.Lat, in.Lon = &x, &y
		}
		rows = append(rows, Row{Where: where, Input: in})
		if len(rows) > MaxImportRows {
			return nil, fieldErrf(where, "more than %d rows: split the file", MaxImportRows)
		}
	}
	if len(rows) == 0 {
		return nil, fieldErr(file+":2", "no contacts after the header")
	}
	return rows, nil
}

func hasCol(col map[string]int, k string) bool { _, ok := col[k]; return ok }

func csvErr(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fieldErrOf(fmt.Sprintf("%s:%d", file, pe.Line), apperr.CSVReason(pe.Err))
	}
	return fieldErrOf(file, err)
}
