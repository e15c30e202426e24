package grid

import (
	"maps"
	"slices"
	"sort"
)

// Regions made of PRIO-GRID cells (for example the cells of a country):
// which regions touch, and the outline of a region as GeoJSON
// MultiPolygon coordinates.

// PrioAdjacency returns, for regions given as a cell → region map, the
// regions each region touches: two regions are neighbours when a cell of
// one shares an edge (rook) or, with queen set, an edge or a corner with a
// cell of the other. Columns wrap around the antimeridian like
// PrioNeighbours. Every region in cells has an entry (possibly empty); the
// neighbour lists are sorted.
func PrioAdjacency(cells map[int]int, queen bool) map[int][]int {
	sets := map[int]map[int]bool{}
	for _, reg := range cells {
		if sets[reg] == nil {
			sets[reg] = map[int]bool{}
		}
	}
	for gid, reg := range cells {
		row, col := PrioRowCol(gid)
		for dr := -1; dr <= 1; dr++ {
			for dc := -1; dc <= 1; dc++ {
				if (dr == 0 && dc == 0) || (!queen && dr != 0 && dc != 0) {
					continue
				}
				r := row + dr
				if r < 1 || r > PrioRows {
					continue
				}
				c := (col+dc-1+PrioCols)%PrioCols + 1
				if other, ok := cells[(r-1)*PrioCols+c]; ok && other != reg {
					sets[reg][other] = true
				}
			}
		}
	}
	out := make(map[int][]int, len(sets))
	for reg, s := range sets {
		nb := make([]int, 0, len(s)) // never nil, also for a region without neighbours
		for o := range s {
			nb = append(nb, o)
		}
		sort.Ints(nb)
		out[reg] = nb
	}
	return out
}

// vertex is a PRIO-GRID cell corner in half-degree steps: x = column
// boundary 0…720 (lon = −180 + x/2), y = row boundary 0…360.
type vertex struct{ x, y int }

func (v vertex) lonLat() [2]float64 {
	return [2]float64{-180 + float64(v.x)*PrioSize, -90 + float64(v.y)*PrioSize}
}

// PrioOutline returns the union of PRIO-GRID cells as GeoJSON MultiPolygon
// coordinates (RFC 7946: [polygon][ring][point]{lon, lat}): one polygon
// per connected block of cells, exterior rings counter-clockwise, holes
// clockwise, collinear points removed. Cells that touch only at a corner
// are separate polygons. Invalid ids are ignored; no cells gives nil.
func PrioOutline(gids []int) [][][][2]float64 {
	in := map[vertex]bool{} // cell by its lower-left corner
	for _, g := range gids {
		if g < 1 || g > PrioCols*PrioRows {
			continue
		}
		row, col := PrioRowCol(g)
		in[vertex{col - 1, row - 1}] = true
	}
	if len(in) == 0 {
		return nil
	}
	// Boundary edges, directed with the region on their left: a cell's
	// edge is on the boundary when the cell across it is not in the set.
	type edge struct{ a, b vertex }
	next := map[vertex][]vertex{}
	nEdges := 0
	add := func(a, b vertex) { next[a] = append(next[a], b); nEdges++ }
	for c := range in {
		x, y := c.x, c.y
		if !in[vertex{x, y - 1}] { // south edge, eastwards
			add(vertex{x, y}, vertex{x + 1, y})
		}
		if !in[vertex{x + 1, y}] { // east edge, northwards
			add(vertex{x + 1, y}, vertex{x + 1, y + 1})
		}
		if !in[vertex{x, y + 1}] { // north edge, westwards
			add(vertex{x + 1, y + 1}, vertex{x, y + 1})
		}
		if !in[vertex{x - 1, y}] { // west edge, southwards
			add(vertex{x, y + 1}, vertex{x, y})
		}
	}
	// Deterministic order of start vertices.
	starts := slices.Collect(maps.Keys(next))
	sort.Slice(starts, func(i, j int) bool {
		if starts[i].y != starts[j].y {
			return starts[i].y < starts[j].y
		}
		return starts[i].x < starts[j].x
	})
	used := map[edge]bool{}
	var rings [][]vertex
	for _, s := range starts {
		for _, t := range next[s] {
			if used[edge{s, t}] {
				continue
			}
			// Follow each edge's successor until the first edge comes back.
			// At a corner where two cells touch diagonally there are two
			// ways on: the leftmost turn keeps to the cell just walked
			// along (the region is on the left), so such cells make
			// separate rings.
			ring := []vertex{s}
			a, b := s, t
			for {
				used[edge{a, b}] = true
				ring = append(ring, b)
				dx, dy := b.x-a.x, b.y-a.y
				var c vertex
				found := false
				for _, d := range [][2]int{{-dy, dx}, {dx, dy}, {dy, -dx}} { // left, straight, right
					c = vertex{b.x + d[0], b.y + d[1]}
					if slices.Contains(next[b], c) {
						found = true
						break
					}
				}
				if !found || (b == s && c == t) || used[edge{b, c}] {
					break
				}
				a, b = b, c
			}
			rings = append(rings, simplify(ring))
		}
	}
	// Exterior rings (counter-clockwise, positive area) become polygons;
	// each hole goes to the smallest exterior ring containing it.
	type poly struct {
		outer []vertex
		area  int
		holes [][]vertex
	}
	var polys []*poly
	var holes [][]vertex
	for _, r := range rings {
		if a := area2(r); a > 0 {
			polys = append(polys, &poly{outer: r, area: a})
		} else {
			holes = append(holes, r)
		}
	}
	for _, h := range holes {
		// a point inside the hole: the centre of the empty cell to the
		// right of the hole's first edge
		a, b := h[0], h[1]
		dx, dy := b.x-a.x, b.y-a.y
		px := float64(a.x+b.x)/2 + float64(dy)/2
		py := float64(a.y+b.y)/2 - float64(dx)/2
		var best *poly
		for _, p := range polys {
			if (best == nil || p.area < best.area) && contains(p.outer, px, py) {
				best = p
			}
		}
		if best != nil {
			best.holes = append(best.holes, h)
		}
	}
	out := make([][][][2]float64, 0, len(polys))
	for _, p := range polys {
		pg := [][][2]float64{coords(p.outer)}
		for _, h := range p.holes {
			pg = append(pg, coords(h))
		}
		out = append(out, pg)
	}
	return out
}

// simplify drops the middle points of straight runs of a closed ring.
func simplify(r []vertex) []vertex {
	pts := r[:len(r)-1] // without the closing point
	n := len(pts)
	var out []vertex
	for i := range n {
		p, c, q := pts[(i-1+n)%n], pts[i], pts[(i+1)%n]
		if (c.x-p.x)*(q.y-c.y)-(c.y-p.y)*(q.x-c.x) != 0 {
			out = append(out, c)
		}
	}
	return append(out, out[0])
}

// area2 is twice the signed area of a closed ring (positive:
// counter-clockwise).
func area2(r []vertex) int {
	s := 0
	for i := 0; i+1 < len(r); i++ {
		s += r[i].x*r[i+1].y - r[i+1].x*r[i].y
	}
	return s
}

// contains reports whether (x, y), not on the ring, is inside it (even–odd).
func contains(r []vertex, x, y float64) bool {
	in := false
	for i := 0; i+1 < len(r); i++ {
		ax, ay := float64(r[i].x), float64(r[i].y)
		bx, by := float64(r[i+1].x), float64(r[i+1].y)
		if (ay > y) != (by > y) && x < ax+(y-ay)*(bx-ax)/(by-ay) {
			in = !in
		}
	}
	return in
}

func coords(r []vertex) [][2]float64 {
	out := make([][2]float64, len(r))
	for i, v := range r {
		out[i] = v.lonLat()
	}
	return out
}
