package xlsform_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/testutil/xlsxtest"
	"github.com/vigil-project/vigil/xlsform"
)

// A workbook of one sheet, "survey", whose parts a case replaces.
const (
	partsWorkbook = `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="survey" r:id="rId1"/></sheets></workbook>`
	partsRels     = `<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`
	partsSheet    = `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>type</t></is></c></row></sheetData></worksheet>`
)

// partsZip is a workbook of the parts, each deflated, with the standard
// three unless given ("" leaves one out); raw are written with the header
// given (stored, or deflated here: a wrong checksum, a wrong size).
func partsZip(t *testing.T, parts map[string]string, raw map[string]zip.FileHeader) []byte {
	t.Helper()
	all := map[string]string{"xl/workbook.xml": partsWorkbook, "xl/_rels/workbook.xml.rels": partsRels, "xl/worksheets/sheet1.xml": partsSheet}
	for k, v := range parts {
		all[k] = v
	}
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, v := range all {
		if h, ok := raw[name]; ok {
			data := []byte(v)
			if h.Method == zip.Deflate {
				var d bytes.Buffer
				fw, _ := flate.NewWriter(&d, flate.DefaultCompression)
				fw.Write(data)
				fw.Close()
				data = d.Bytes()
			}
			h.Name, h.CompressedSize64 = name, uint64(len(data))
			w, err := z.CreateRaw(&h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
			continue
		}
		if v == "" {
			continue
		}
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(v))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// partCases are the refusals of a workbook whose inside Go's zip or XML
// reader refuses, or that breaks the reader's own limits: French in front,
// Go's English kept as technical detail.
func partCases(t *testing.T) []apperrtest.Case {
	convert := func(parts map[string]string, raw map[string]zip.FileHeader) error {
		_, err := xlsform.Convert(partsZip(t, parts, raw), xlsform.Options{})
		return err
	}
	sheet := func(rows string) map[string]string {
		return map[string]string{"xl/worksheets/sheet1.xml": `<worksheet><sheetData>` + rows + `</sheetData></worksheet>`}
	}
	const wb = "xl/workbook.xml"
	return []apperrtest.Case{
		{Name: "workbook XML", Err: convert(map[string]string{wb: "<workbook>\n<sheets></workbook>"}, nil),
			FR: "xl/workbook.xml\u00a0: XML mal formé à la ligne 2 (détail technique\u00a0: une balise fermante ne correspond pas à la balise ouverte — element <sheets> closed by </workbook>)"},
		{Name: "sheet XML", Err: convert(map[string]string{"xl/worksheets/sheet1.xml": "<worksheet>"}, nil),
			FR: "feuille «\u202fsurvey\u202f»\u00a0: XML mal formé à la ligne 1 (détail technique\u00a0: fin inattendue des données — unexpected EOF)"},
		{Name: "sheet unreadable", Err: convert(sheet(`<row r="x"/>`), nil),
			FR: "feuille «\u202fsurvey\u202f»\u00a0: XML illisible (détail technique\u00a0: nombre illisible — strconv.ParseInt: parsing \"x\": invalid syntax)"},
		{Name: "shared strings XML", Err: convert(map[string]string{"xl/sharedStrings.xml": "<sst><si>"}, nil),
			FR: "xl/sharedStrings.xml\u00a0: XML mal formé à la ligne 1 (détail technique\u00a0: fin inattendue des données — unexpected EOF)"},
		{Name: "no relationship", Err: convert(map[string]string{"xl/_rels/workbook.xml.rels": "<Relationships/>"}, nil),
			FR: "feuille «\u202fsurvey\u202f»\u00a0: aucune relation «\u202frId1\u202f» dans xl/_rels/workbook.xml.rels"},
		{Name: "sheet part missing", Err: convert(map[string]string{"xl/worksheets/sheet1.xml": ""}, nil),
			FR: "feuille «\u202fsurvey\u202f»\u00a0: il manque la partie xl/worksheets/sheet1.xml du classeur"},
		{Name: "not an XML part", Err: convert(map[string]string{"xl/_rels/workbook.xml.rels": `<Relationships><Relationship Id="rId1" Target="media/a.png"/></Relationships>`, "xl/media/a.png": "png"}, nil),
			FR: "feuille «\u202fsurvey\u202f»\u00a0: la partie xl/media/a.png du classeur n’est pas une partie XML"},
		{Name: "checksum", Err: convert(nil, map[string]zip.FileHeader{wb: {CRC32: crc32.ChecksumIEEE([]byte(partsWorkbook)) + 1, UncompressedSize64: uint64(len(partsWorkbook))}}),
			FR: "xl/workbook.xml\u00a0: partie endommagée (détail technique\u00a0: somme de contrôle incorrecte — zip: checksum error)"},
		// Go's zip reader refuses a part inflating past its declared size
		// before the converter's own check.
		{Name: "inflates", Err: convert(nil, map[string]zip.FileHeader{wb: {Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(partsWorkbook)), UncompressedSize64: 10}}),
			FR: "xl/workbook.xml\u00a0: partie endommagée (détail technique\u00a0: archive zip non valide — zip: not a valid zip file)"},
		{Name: "cell reference", Err: convert(sheet(`<row r="1"><c r="1A"><v>1</v></c></row>`), nil),
			FR: "feuille «\u202fsurvey\u202f», ligne 1\u00a0: référence de cellule «\u202f1A\u202f» invalide"},
		{Name: "shared string index", Err: convert(sheet(`<row r="1"><c r="A1" t="s"><v>5</v></c></row>`), nil),
			FR: "feuille «\u202fsurvey\u202f», cellule A1\u00a0: index de chaîne partagée «\u202f5\u202f» invalide"},
	}
}

// limitCases are the refusals of a workbook past the reader's limits (a
// million cells, a million shared strings) and of one that waits for the
// decompression budget others hold until its context ends.
func limitCases(t *testing.T) []apperrtest.Case {
	convert := func(ctx context.Context, xlsx []byte) error {
		_, err := xlsform.ConvertContext(ctx, xlsx, xlsform.Options{})
		return err
	}
	release, err := xlsform.Reserve(context.Background(), xlsform.DecompressBudget)
	if err != nil {
		t.Fatal(err)
	}
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	busy := convert(ended, partsZip(t, nil, nil))
	release()
	if !errors.Is(busy, xlsform.ErrBusy) {
		t.Errorf("with the budget held: %v, want ErrBusy", busy)
	}
	return []apperrtest.Case{
		{Name: "budget held", Err: busy, FR: "trop de classeurs sont en cours de lecture en même temps (détail technique\u00a0: opération annulée — context canceled)"},
		{Name: "cells", Err: convert(context.Background(), xlsxtest.Large(t, 1_000_001, 0)), FR: "le classeur a plus de 1000000 cellules"},
		{Name: "shared strings", Err: convert(context.Background(), xlsxtest.Large(t, 1, 1_000_001)), FR: "xl/sharedStrings.xml\u00a0: plus de 1000000 chaînes partagées"},
	}
}
