package surveys

// CheckRakeValues is checkRakeValues for the external tests' benchmark of
// the settings save as it was (all the rows read, then checked).
var CheckRakeValues = checkRakeValues

// SetReadWhole has Rows, the analyses and the exports read as before
// session 24 (the sealed answers as one list, each opened into a new
// buffer; Rows keeping every key) when whole, for the benchmarks' side by
// side runs.
func SetReadWhole(whole bool) { readWhole = whole }

// APIRows is apiRows for the external tests (the export goldens).
var APIRows = apiRows
