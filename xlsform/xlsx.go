package xlsform

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Sheet is one worksheet: Rows[i] holds the cell texts of spreadsheet row
// RowNums[i] (1-based, as Excel numbers them), column A first. Empty rows
// are left out.
type Sheet struct {
	Name    string
	Rows    [][]string
	RowNums []int
}

// Limits on what ReadXLSX accepts.
const (
	maxXLSXBytes   = 20 << 20  // the .xlsx file
	maxPartBytes   = 100 << 20 // one uncompressed part
	maxCells       = 1_000_000
	maxColumnIndex = 16384
)

// ReadXLSX reads the worksheets of an Office Open XML workbook (.xlsx) as
// text: shared strings, inline strings, numbers and booleans as written.
func ReadXLSX(data []byte) ([]Sheet, error) {
	return ReadXLSXContext(context.Background(), data)
}

// ReadXLSXContext is ReadXLSX within the process-wide decompression budget
// (DecompressBudget): it first reserves the declared uncompressed size of
// every part a workbook may need (workbook, relationships, shared strings,
// worksheets), waiting while other workbooks hold the budget until ctx
// ends (ErrBusy), and refuses a workbook that alone declares more
// (ErrTooLarge) or a part larger than 100 MB, before inflating anything.
func ReadXLSXContext(ctx context.Context, data []byte) ([]Sheet, error) {
	if len(data) > maxXLSXBytes {
		return nil, apperr.Textf("workbook is larger than %d bytes", maxXLSXBytes)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, apperr.Textf("not an .xlsx workbook (zip): %v", apperr.Detail(err))
	}
	files := map[string]*zip.File{}
	var declared int64
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "/")
		files[name] = f
		if !xmlPart(name) {
			continue // never read
		}
		if f.UncompressedSize64 > maxPartBytes {
			return nil, apperr.Textf("%s: larger than %d bytes uncompressed (declares %d)", name, maxPartBytes, f.UncompressedSize64)
		}
		declared += int64(f.UncompressedSize64)
	}
	if err := decompress.acquire(ctx, declared); err != nil {
		return nil, err
	}
	var inflated int64
	defer func() {
		decompress.inflated.Add(-inflated)
		decompress.release(declared)
	}()
	read := func(name string) ([]byte, error) {
		f, ok := files[name]
		if !ok {
			return nil, apperr.Textf("workbook part %s is missing", name)
		}
		if !xmlPart(name) {
			return nil, apperr.Textf("workbook part %s is not an XML part", name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, apperr.Textf("%s: %v", name, damaged(err))
		}
		defer rc.Close()
		// The zip reader fails a part that inflates past its declared
		// size, which the budget reserved.
		b, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
		inflated += int64(len(b))
		decompress.inflate(int64(len(b)))
		if err != nil {
			return nil, apperr.Textf("%s: %v", name, damaged(err))
		}
		if len(b) > int(f.UncompressedSize64) {
			return nil, fmt.Errorf("%s: inflates past its declared size", name)
		}
		return b, nil
	}

	// readXML reads the part name into v.
	readXML := func(name string, v any) error {
		b, err := read(name)
		if err != nil {
			return err
		}
		if err := xml.Unmarshal(b, v); err != nil {
			return apperr.Textf("%s: %v", name, xmlErr(err))
		}
		return nil
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := readXML("xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := readXML("xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	var shared []string
	if _, ok := files["xl/sharedStrings.xml"]; ok {
		ssData, err := read("xl/sharedStrings.xml")
		if err != nil {
			return nil, err
		}
		if shared, err = sharedStrings(ssData); err != nil {
			return nil, apperr.Textf("%s: %v", "xl/sharedStrings.xml", err)
		}
	}
	cells := 0
	var out []Sheet
	for _, s := range wb.Sheets {
		target, ok := targets[s.RID]
		if !ok {
			return nil, apperr.Textf("sheet %q: no relationship %q", s.Name, s.RID)
		}
		b, err := read(target)
		if err != nil {
			return nil, apperr.Textf("sheet %q: %v", s.Name, err)
		}
		sh, n, err := readSheet(s.Name, b, shared)
		if err != nil {
			return nil, err
		}
		cells += n
		if cells > maxCells {
			return nil, apperr.Textf("workbook has more than %d cells", maxCells)
		}
		out = append(out, sh)
	}
	return out, nil
}

// xmlErr is Go's XML reader's err on a part as a message: a syntax error
// in its own English (XML syntax error on line N: …), said in French with
// Go's detail kept as technical detail; any other as unreadable XML.
func xmlErr(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return apperr.Textf("XML syntax error on line %d: %s", se.Line, apperr.DetailText(se.Msg))
	}
	return apperr.Textf("unreadable XML: %v", apperr.Detail(err))
}

// damaged is Go's zip reader's err on a part (a checksum, a compression
// method or deflated data it refuses) as a message, Go's text kept as
// technical detail.
func damaged(err error) error { return apperr.Textf("damaged: %v", apperr.Detail(err)) }

// xmlPart reports whether a zip entry is an XML part, the only kind
// ReadXLSX reads (and reserves budget for).
func xmlPart(name string) bool {
	return strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels")
}

func sharedStrings(b []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var out []string
	var cur strings.Builder
	inSI, inT, inRPh := false, false, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				cur.Reset()
			case "t":
				inT = true
			case "rPh": // phonetic runs are not part of the text
				inRPh = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				inSI = false
				out = append(out, cur.String())
				if len(out) > maxCells {
					return nil, apperr.Textf("more than %d shared strings", maxCells)
				}
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			}
		case xml.CharData:
			if inSI && inT && !inRPh {
				cur.Write(t)
			}
		}
	}
}

// colIndex turns a cell reference such as "AB12" into a 0-based column.
func colIndex(ref string) (int, bool) {
	n := 0
	i := 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		n = n*26 + int(ref[i]-'A'+1)
		if n > maxColumnIndex {
			return 0, false
		}
	}
	if i == 0 {
		return 0, false
	}
	return n - 1, true
}

func readSheet(name string, b []byte, shared []string) (Sheet, int, error) {
	var ws struct {
		Rows []struct {
			R     int `xml:"r,attr"`
			Cells []struct {
				R  string `xml:"r,attr"`
				T  string `xml:"t,attr"`
				V  string `xml:"v"`
				IS struct {
					T []string `xml:"t"`
					R []struct {
						T string `xml:"t"`
					} `xml:"r"`
				} `xml:"is"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal(b, &ws); err != nil {
		return Sheet{}, 0, apperr.Textf("sheet %q: %v", name, xmlErr(err))
	}
	sh := Sheet{Name: name}
	n := 0
	next := 1
	for _, r := range ws.Rows {
		rowNum := r.R
		if rowNum == 0 {
			rowNum = next
		}
		next = rowNum + 1
		var row []string
		col := 0
		for _, c := range r.Cells {
			if c.R != "" {
				i, ok := colIndex(c.R)
				if !ok {
					return Sheet{}, 0, apperr.Textf("sheet %q row %d: bad cell reference %q", name, rowNum, c.R)
				}
				col = i
			}
			var v string
			switch c.T {
			case "s":
				i, err := strconv.Atoi(strings.TrimSpace(c.V))
				if err != nil || i < 0 || i >= len(shared) {
					return Sheet{}, 0, apperr.Textf("sheet %q cell %s: bad shared string index %q", name, c.R, c.V)
				}
				v = shared[i]
			case "inlineStr":
				v = strings.Join(c.IS.T, "")
				for _, r := range c.IS.R {
					v += r.T
				}
			case "b":
				if c.V == "1" {
					v = "TRUE"
				} else {
					v = "FALSE"
				}
			case "", "n":
				v = numberText(c.V)
			default:
				v = c.V
			}
			for len(row) <= col {
				row = append(row, "")
			}
			row[col] = v
			col++
			n++
		}
		empty := true
		for _, v := range row {
			if strings.TrimSpace(v) != "" {
				empty = false
				break
			}
		}
		if !empty {
			sh.Rows = append(sh.Rows, row)
			sh.RowNums = append(sh.RowNums, rowNum)
		}
	}
	return sh, n, nil
}

// numberText writes a numeric cell as pyxform reads it: a whole number
// without a fraction ("12.0" and "1.2E1" are "12"), others as stored.
func numberText(v string) string {
	t := strings.TrimSpace(v)
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1e15 {
		return v
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
