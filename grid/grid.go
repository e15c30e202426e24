// Package grid maps coordinates to spatial grid cells.
//
// It covers the PRIO-GRID 0.5° global grid used by conflict researchers (UCDP,
// ViEWS) and a finer regular operations grid (for example 0.1°) for mission
// planning. It also holds the cell-month keys used to aggregate events.
package grid

import (
	"fmt"
	"math"

	"github.com/vigil-project/vigil/internal/apperr"
)

// PRIO-GRID dimensions: 720 columns × 360 rows of 0.5° cells.
const (
	PrioCols = 720
	PrioRows = 360
	PrioSize = 0.5
)

// PrioGID returns the PRIO-GRID cell id of a point:
// gid = (row−1)·720 + col, row = ⌊(lat+90)/0.5⌋+1, col = ⌊(lon+180)/0.5⌋+1.
// Points on the north pole or the antimeridian fall in the last row/column.
func PrioGID(lat, lon float64) (int, error) {
	if err := CheckLatLon(lat, lon); err != nil {
		return 0, err
	}
	row := int(math.Floor((lat+90)/PrioSize)) + 1
	col := int(math.Floor((lon+180)/PrioSize)) + 1
	if row > PrioRows {
		row = PrioRows
	}
	if col > PrioCols {
		col = PrioCols
	}
	return (row-1)*PrioCols + col, nil
}

// PrioCenter returns the centre of a PRIO-GRID cell.
func PrioCenter(gid int) (lat, lon float64, err error) {
	if gid < 1 || gid > PrioCols*PrioRows {
		return 0, 0, fmt.Errorf("priogrid gid %d out of range 1..%d", gid, PrioCols*PrioRows)
	}
	row := (gid-1)/PrioCols + 1
	col := (gid-1)%PrioCols + 1
	lat = -90 + (float64(row)-0.5)*PrioSize
	lon = -180 + (float64(col)-0.5)*PrioSize
	return lat, lon, nil
}

// PrioRowCol returns the 1-based row and column of a gid.
func PrioRowCol(gid int) (row, col int) {
	return (gid-1)/PrioCols + 1, (gid-1)%PrioCols + 1
}

// PrioNeighbours returns the gids within `rings` cells (queen contiguity) of
// gid, excluding gid itself. Columns wrap around the antimeridian; rows do not.
func PrioNeighbours(gid, rings int) []int {
	return Regular{Size: PrioSize}.Neighbours(gid, rings)
}

// CheckLatLon reports an error for coordinates outside the WGS84 range or NaN.
func CheckLatLon(lat, lon float64) error {
	if math.IsNaN(lat) || math.IsInf(lat, 0) || lat < -90 || lat > 90 {
		return apperr.Textf("latitude %v outside -90..90", lat)
	}
	if math.IsNaN(lon) || math.IsInf(lon, 0) || lon < -180 || lon > 180 {
		return apperr.Textf("longitude %v outside -180..180", lon)
	}
	return nil
}

// Refusals are CheckLatLon's, NewRegular's and ParseMonth's messages
// (apperr's catalog).
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.grid.lat":    {"latitude %v outside -90..90", "latitude {0} hors de -90..90"},
	"refusal.grid.lon":    {"longitude %v outside -180..180", "longitude {0} hors de -180..180"},
	"refusal.grid.month":  {"month %q: want YYYY-MM", "mois {0}\u00a0: attendu AAAA-MM"},
	"refusal.grid.size":   {"grid cell size %v: must be in (0, 10] degrees", "taille de cellule {0}\u00a0: doit être dans ]0, 10] degrés"},
	"refusal.grid.divide": {"grid cell size %v: must divide 180 degrees evenly", "taille de cellule {0}\u00a0: doit diviser 180 degrés exactement"},
})

// Regular is a regular lat/lon grid of square cells of Size degrees, anchored
// at (-90,-180). Cell ids are (row-1)*cols + col, like PRIO-GRID; a Regular
// grid of size 0.5 gives PRIO-GRID ids.
type Regular struct {
	Size float64 // cell size in degrees; must divide 180
}

// NewRegular returns a regular grid of the given cell size in degrees.
func NewRegular(size float64) (Regular, error) {
	if !(size > 0) || size > 10 {
		return Regular{}, apperr.Textf("grid cell size %v: must be in (0, 10] degrees", size)
	}
	n := 180 / size
	if math.Abs(n-math.Round(n)) > 1e-9 {
		return Regular{}, apperr.Textf("grid cell size %v: must divide 180 degrees evenly", size)
	}
	return Regular{Size: size}, nil
}

// Dims returns the number of columns and rows.
func (g Regular) Dims() (cols, rows int) {
	return int(math.Round(360 / g.Size)), int(math.Round(180 / g.Size))
}

// Neighbours returns the cells within rings cells (queen contiguity) of id,
// excluding id itself. Columns wrap around the antimeridian; rows do not.
func (g Regular) Neighbours(id, rings int) []int {
	cols, rows := g.Dims()
	row, col := (id-1)/cols+1, (id-1)%cols+1
	var out []int
	for dr := -rings; dr <= rings; dr++ {
		r := row + dr
		if r < 1 || r > rows {
			continue
		}
		for dc := -rings; dc <= rings; dc++ {
			if dr == 0 && dc == 0 {
				continue
			}
			c := (col+dc-1+cols)%cols + 1
			out = append(out, (r-1)*cols+c)
		}
	}
	return out
}

// Cell returns the cell id of a point.
func (g Regular) Cell(lat, lon float64) (int, error) {
	if err := CheckLatLon(lat, lon); err != nil {
		return 0, err
	}
	cols, rows := g.Dims()
	row := int(math.Floor((lat+90)/g.Size)) + 1
	col := int(math.Floor((lon+180)/g.Size)) + 1
	row = min(row, rows)
	col = min(col, cols)
	return (row-1)*cols + col, nil
}

// Center returns the centre of a cell.
func (g Regular) Center(id int) (lat, lon float64, err error) {
	cols, rows := g.Dims()
	if id < 1 || id > cols*rows {
		return 0, 0, fmt.Errorf("cell %d out of range 1..%d", id, cols*rows)
	}
	row := (id-1)/cols + 1
	col := (id-1)%cols + 1
	return -90 + (float64(row)-0.5)*g.Size, -180 + (float64(col)-0.5)*g.Size, nil
}

// Bounds returns the south-west and north-east corners of a cell.
func (g Regular) Bounds(id int) (minLat, minLon, maxLat, maxLon float64) {
	cols, _ := g.Dims()
	row := (id-1)/cols + 1
	col := (id-1)%cols + 1
	minLat = -90 + float64(row-1)*g.Size
	minLon = -180 + float64(col-1)*g.Size
	return minLat, minLon, minLat + g.Size, minLon + g.Size
}

// Month is a calendar month as a count: year*12 + (month-1). It orders and
// subtracts like an integer. VIEWS month_id = Month - (1980*12) + 1.
type Month int

// MonthOf returns the Month of a year and 1-based month.
func MonthOf(year, month int) Month { return Month(year*12 + month - 1) }

// Year and Mon split a Month.
func (m Month) Year() int { return int(m) / 12 }
func (m Month) Mon() int  { return int(m)%12 + 1 }

// String formats as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), m.Mon()) }

// ViewsID returns the VIEWS month_id, (year − 1980)·12 + month.
func (m Month) ViewsID() int { return (m.Year()-1980)*12 + m.Mon() }

// FromViewsID converts a VIEWS month_id to a Month.
func FromViewsID(id int) Month { return MonthOf(1980, 1) + Month(id-1) }

// ParseMonth parses YYYY-MM.
func ParseMonth(s string) (Month, error) {
	var y, m int
	if len(s) != 7 || s[4] != '-' {
		return 0, apperr.Textf("month %q: want YYYY-MM", s)
	}
	if _, err := fmt.Sscanf(s, "%4d-%2d", &y, &m); err != nil || m < 1 || m > 12 || y < 1 {
		return 0, apperr.Textf("month %q: want YYYY-MM", s)
	}
	return MonthOf(y, m), nil
}
