package alerts

import (
	"math"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/events"
)

// EventSource is the source of the conflict events made from incidents
// (ToEvent).
const EventSource = "vigil-alerts"

// SensitiveEvent reports whether an event was made from an incident and so
// keeps the incident's sensitivity.
func SensitiveEvent(e *events.Event) bool { return e.Source == EventSource }

// EventForRole returns an event as role r may see it. An event made from an
// incident keeps the incident's sensitivity: below responder its position
// is rounded to ViewerGridDeg exactly as the incident's (Location.ForRole),
// its place name (which may name a house or a person) is left out and its
// location precision is no better than the rounding. Other events (public
// datasets) are returned unchanged.
func EventForRole(e events.Event, r auth.Role) events.Event {
	if !SensitiveEvent(&e) || r.AtLeast(auth.Responder) {
		return e
	}
	lat, lon := e.Lat, e.Lon
	l := Location{Lat: &lat, Lon: &lon}.ForRole(r)
	e.Lat, e.Lon = *l.Lat, *l.Lon
	e.Location = ""
	if e.WherePrecision < 3 {
		e.WherePrecision = 3 // ForRole's 8 km and more, as ToEvent maps it
	}
	return e
}

// RoundForViewer rounds a position to the viewers' grid (ViewerGridDeg),
// as Location.ForRole does for viewers.
func RoundForViewer(lat, lon float64) (float64, float64) {
	la := math.Round(lat/ViewerGridDeg) * ViewerGridDeg
	lo := math.Round(lon/ViewerGridDeg) * ViewerGridDeg
	return math.Round(la*10) / 10, math.Round(lo*10) / 10
}
