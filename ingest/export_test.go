package ingest

// ParseDate and ParseDateLayouts expose parseDate and its slow path to tests.
var (
	ParseDate        = parseDate
	ParseDateLayouts = parseDateLayouts
)
