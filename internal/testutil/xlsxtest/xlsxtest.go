// Package xlsxtest writes small .xlsx workbooks (XLSForms) for tests.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// Sheet is one worksheet: its name and its rows of cells.
type Sheet struct {
	Name string
	Rows [][]string
}

var xmlEsc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace

// Build writes a minimal .xlsx: inline strings, one part per sheet, empty
// cells left out.
func Build(tb testing.TB, sheets ...Sheet) []byte {
	tb.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	add := func(name, body string) {
		w, err := z.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(body))
	}
	var wb, rels strings.Builder
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, s := range sheets {
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, xmlEsc(s.Name), i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		var ws strings.Builder
		ws.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		for r, row := range s.Rows {
			fmt.Fprintf(&ws, `<row r="%d">`, r+1)
			for c, v := range row {
				if v == "" {
					continue
				}
				fmt.Fprintf(&ws, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+c, r+1, xmlEsc(v))
			}
			ws.WriteString(`</row>`)
		}
		ws.WriteString(`</sheetData></worksheet>`)
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), ws.String())
	}
	wb.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	add("xl/workbook.xml", wb.String())
	add("xl/_rels/workbook.xml.rels", rels.String())
	if err := z.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// Large writes a workbook past a reader's limits, small on the wire: its
// survey sheet holds cells numbers (rows of 1000), and when shared > 0 a
// shared strings part holds that many strings.
func Large(tb testing.TB, cells, shared int) []byte {
	tb.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	part := func(name string, write func(w io.Writer)) {
		w, err := z.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		write(w)
	}
	part("xl/workbook.xml", func(w io.Writer) {
		io.WriteString(w, `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="survey" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	})
	part("xl/_rels/workbook.xml.rels", func(w io.Writer) {
		io.WriteString(w, `<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`)
	})
	part("xl/worksheets/sheet1.xml", func(w io.Writer) {
		io.WriteString(w, `<worksheet><sheetData>`)
		row := "<row>" + strings.Repeat(`<c><v>1</v></c>`, 1000) + "</row>"
		for n := cells; n > 0; n -= 1000 {
			if n < 1000 {
				row = "<row>" + strings.Repeat(`<c><v>1</v></c>`, n) + "</row>"
			}
			io.WriteString(w, row)
		}
		io.WriteString(w, `</sheetData></worksheet>`)
	})
	if shared > 0 {
		part("xl/sharedStrings.xml", func(w io.Writer) {
			io.WriteString(w, `<sst>`)
			for i := 0; i < shared; i++ {
				io.WriteString(w, `<si><t>a</t></si>`)
			}
			io.WriteString(w, `</sst>`)
		})
	}
	if err := z.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}
