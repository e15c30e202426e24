package ingest

import "io"

var acledColumns = make([]string, 31)

func newACLED(file string, in io.Reader, head []byte, source string) (parser, error) {
	return nil, &Error{file, 1, "", "ACLED import is not implemented yet"}
}
func newHXL(file string, in io.Reader, head []byte, source string) (parser, error) {
	return nil, &Error{file, 1, "", "HXL import is not implemented yet"}
}
func newGeoJSON(file string, in io.Reader, source string) (parser, error) {
	return nil, &Error{file, 1, "", "GeoJSON import is not implemented yet"}
}
func isHashtagRow(rec []string) bool { return false }
