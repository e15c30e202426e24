package contacts

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Row is one parsed CSV row, Where naming it (FILE:LINE).
type Row struct {
	Where string
	Input Input
}

// MaxImportRows bounds one import.
const MaxImportRows = 200000

// frenchColumns are the columns' French names (folded: no case, no
// accents), as a francophone team heads its spreadsheet.
var frenchColumns = map[string]string{
	"telephone": "phone", "tel": "phone", "numero": "phone", "nom": "name", "langue": "language",
	"groupes": "groups", "groupe": "groups", "lieu": "place", "latitude": "lat", "longitude": "lon",
	"consentement": "consent",
}

// ParseCSV reads a contacts file with a header row: phone (required), and
// any of name, language, groups (separated by ';' or '|'), place, lat, lon,
// consent — or their French names (téléphone, nom, langue, groupes, lieu,
// latitude, longitude, consentement). A file whose header is separated by
// semicolons and has no comma (a French spreadsheet's CSV) is read with
// semicolons, its lat and lon with a decimal comma. Every error names
// FILE:LINE (and the column); nothing is returned on error. consentHow is
// used for rows without a consent column.
func ParseCSV(r io.Reader, file, consentHow string) ([]Row, error) {
	br := bufio.NewReader(r)
	first, _ := br.Peek(4096)
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	semi := bytes.IndexByte(first, ';') >= 0 && bytes.IndexByte(first, ',') < 0
	cr := csv.NewReader(br)
	if semi {
		cr.Comma = ';'
	}
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
		if en, ok := frenchColumns[fold(h)]; ok {
			h = en
		}
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
			pla, plo := la, lo
			if semi {
				pla, plo = strings.Replace(la, ",", ".", 1), strings.Replace(lo, ",", ".", 1)
			}
			x, err1 := strconv.ParseFloat(pla, 64)
			y, err2 := strconv.ParseFloat(plo, 64)
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
