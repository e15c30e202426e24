package geotext

import (
	"math"
	"strings"
	"unicode/utf8"
)

// PlaceLabel names a point by its nearest notable place.
type PlaceLabel struct {
	Place     Place   // the place the point is named after
	DistanceM float64 // from the point to the place
}

// labelNear is the distance under which a point is named as the place
// itself rather than "near" it.
const labelNear = 3000.0

// labelMax is the farthest a place may be to name a point.
const labelMax = 100000.0

// Text is the label in English or French ("fr"): "near Djugu, Ituri (DR
// Congo)", "près de Djugu, Ituri (RD Congo)", "près d’Afgooye,
// Bas-Shabelle (Somalie)"; the place alone within 3 km.
func (l PlaceLabel) Text(lang string) string {
	s := l.Place.Describe(lang)
	if l.DistanceM < labelNear {
		return s
	}
	if len(lang) >= 2 && (lang[:2] == "fr" || lang[:2] == "FR") {
		return PresDe(s)
	}
	return "near " + s
}

// PresDe writes "près de" before a place name, elided before a vowel as
// French does ("près de Djugu", "près d’Afgooye", "près d’Éloko").
func PresDe(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	if strings.ContainsRune("AEIOUÉÈÊÂÎÔÛaeiouéèêâîôû", r) {
		return "près d’" + name
	}
	return "près de " + name
}

// labelKind weighs the kinds of place a point may be named after: towns
// (the larger the better), then admin-2 seats and deployment sites, then
// the localities named in event reports. First-level units never name a
// point (they are its region).
func labelScale(p Place) float64 {
	switch p.Kind {
	case "admin1":
		return 0
	case "town", "":
		return 1 + 0.2*math.Log10(1+float64(p.Population))
	case "admin2":
		return 1
	case "deployment":
		return 0.9
	default:
		return 0.75
	}
}

func (g *Gazetteer) buildNear() {
	g.lazyMu.Lock()
	defer g.lazyMu.Unlock()
	if g.near != nil {
		return
	}
	m := map[[2]int][]int{}
	for i, p := range g.Places {
		if labelScale(p) == 0 {
			continue
		}
		k := [2]int{int(math.Floor(p.Lat)), int(math.Floor(p.Lon))}
		m[k] = append(m[k], i)
	}
	g.near = m
}

// Label names the point lat, lon after the notable place nearest to it
// (a larger town may win over a nearer hamlet), within 100 km; false when
// there is none.
func (g *Gazetteer) Label(lat, lon float64) (PlaceLabel, bool) {
	if g == nil || math.IsNaN(lat) || math.IsNaN(lon) {
		return PlaceLabel{}, false
	}
	g.buildNear()
	best, bestEff, bestD := -1, math.Inf(1), 0.0
	la, lo := int(math.Floor(lat)), int(math.Floor(lon))
	for dy := -2; dy <= 2; dy++ {
		for dx := -2; dx <= 2; dx++ {
			for _, i := range g.near[[2]int{la + dy, lo + dx}] {
				p := g.Places[i]
				d := Distance(lat, lon, p.Lat, p.Lon)
				if d > labelMax {
					continue
				}
				eff := d / labelScale(p)
				if eff < bestEff || eff == bestEff && i < best {
					best, bestEff, bestD = i, eff, d
				}
			}
		}
	}
	if best < 0 {
		return PlaceLabel{}, false
	}
	return PlaceLabel{Place: g.Places[best], DistanceM: bestD}, true
}
