// Package geojson holds the GeoJSON (RFC 7946) answers of the map: features,
// collections and events as point features.
package geojson

import (
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/geotext"
)

// Feature is a GeoJSON Feature.
type Feature struct {
	Type       string         `json:"type"`
	ID         any            `json:"id,omitempty"`
	Geometry   Geometry       `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// Geometry is a GeoJSON Point, Polygon or MultiPolygon.
type Geometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

// FeatureCollection is a GeoJSON collection with an optional cursor.
type FeatureCollection struct {
	Type     string    `json:"type"`
	Features []Feature `json:"features"`
	Next     string    `json:"next,omitempty"`
}

// NewCollection returns an empty collection with room for n features.
func NewCollection(n int) FeatureCollection {
	return FeatureCollection{Type: "FeatureCollection", Features: make([]Feature, 0, n)}
}

// Point is a Point geometry.
func Point(lat, lon float64) Geometry { return Geometry{"Point", [2]float64{lon, lat}} }

// Box is the Polygon of a box given west, south, east and north.
func Box(w, s, e, n float64) Geometry {
	ring := [][2]float64{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}
	return Geometry{"Polygon", [][][2]float64{ring}}
}

// EventProps are an event's GeoJSON properties (a struct, not a map: it
// encodes several times faster, which matters for 5000-event pages).
type EventProps struct {
	Source         string `json:"source"`
	SourceID       string `json:"source_id"`
	DateStart      string `json:"date_start"`
	DateEnd        string `json:"date_end"`
	DatePrecision  int    `json:"date_precision"`
	WherePrecision int    `json:"where_precision"`
	Country        string `json:"country"`
	CountryCode    string `json:"country_code"`
	Admin1         string `json:"admin1"`
	Admin2         string `json:"admin2"`
	Location       string `json:"location"`
	Cell           int    `json:"cell"`
	Type           string `json:"type"`
	EventType      string `json:"event_type"`
	SubEventType   string `json:"sub_event_type"`
	Conflict       string `json:"conflict"`
	SideA          string `json:"side_a"`
	SideB          string `json:"side_b"`
	Best           int    `json:"best"`
	Low            int    `json:"low"`
	High           int    `json:"high"`
	Civilian       *int   `json:"civilian"` // null when unknown
	Notes          string `json:"notes,omitempty"`
	// Place is the nearest notable place (event detail only; additive).
	Place *geotext.PointLabel `json:"place,omitempty"`
	// CountryFR is the country's French name (event detail only; "" for a
	// country geotext does not know).
	CountryFR string `json:"country_fr,omitempty"`
	// Admin1FR is Admin1's French name where French writes it otherwise
	// (geotext.UnitName: "North Darfur state" is Darfour-Nord; event
	// detail only).
	Admin1FR string `json:"admin1_fr,omitempty"`
}

// EventFeature is one event as a GeoJSON Feature.
type EventFeature struct {
	Type       string     `json:"type"`
	ID         int64      `json:"id"`
	Geometry   Geometry   `json:"geometry"`
	Properties EventProps `json:"properties"`
}

// NewEventFeature returns e as a GeoJSON Feature.
func NewEventFeature(e *events.Event) EventFeature {
	p := EventProps{
		Source: e.Source, SourceID: e.SourceID,
		DateStart: e.DateStart.Format("2006-01-02"), DateEnd: e.DateEnd.Format("2006-01-02"),
		DatePrecision: int(e.DatePrecision), WherePrecision: int(e.WherePrecision),
		Country: e.Country, CountryCode: e.CountryCode, Admin1: e.Admin1, Admin2: e.Admin2, Location: e.Location,
		Cell: e.GridCell, Type: e.Violence.String(), EventType: e.EventType, SubEventType: e.SubEventType,
		Conflict: e.ConflictName, SideA: e.SideA, SideB: e.SideB,
		Best: e.Best, Low: e.Low, High: e.High, Notes: e.Notes,
	}
	if e.Civilian >= 0 {
		c := e.Civilian
		p.Civilian = &c
	}
	return EventFeature{Type: "Feature", ID: e.ID, Geometry: Point(e.Lat, e.Lon), Properties: p}
}

// EventCollection is a page of events; Next is the cursor of the next
// page, empty on the last.
type EventCollection struct {
	Type     string         `json:"type"`
	Features []EventFeature `json:"features"`
	Next     string         `json:"next,omitempty"`
}
