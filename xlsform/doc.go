// Package xlsform converts XLSForm workbooks into ODK XForms.
//
// It converts XLSForms (.xlsx workbooks with survey, choices and settings
// sheets, https://xlsform.org) into ODK XForms equivalent to pyxform's: text,
// integer, decimal, date, time, datetime, geopoint, geotrace, geoshape,
// barcode, note, acknowledge, calculate, select_one and select_multiple
// (or_other, choice_filter), image/audio/video/file uploads, metadata (start,
// end, today, deviceid, …), groups (table-list) and repeats (repeat_count),
// relevant, constraint, required, read_only, fixed defaults, labels in several
// languages with media (image, audio, video), custom bind::, instance:: and
// body:: attributes, and the settings pyxform's test forms use (flat,
// instance_name, submission_url, public_key). Anything else is refused with an
// error naming the sheet, row and column. It reads .xlsx with archive/zip and
// encoding/xml only.
package xlsform
