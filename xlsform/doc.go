// Package xlsform converts XLSForms (.xlsx workbooks with survey, choices
// and settings sheets, https://xlsform.org) into ODK XForms, for the common
// subset of types: text, integer, decimal, select_one, select_multiple,
// date, geopoint, note, calculate, groups and repeats, with relevant,
// constraint, required and labels in several languages. Errors name the
// sheet and row. It reads .xlsx with archive/zip and encoding/xml only.
package xlsform
