package main

import (
	"log/slog"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/events/feed"
	"github.com/vigil-project/vigil/forecast/risk"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/web"
)

// useMapServices gives the server the services behind the map, the risk
// layer and the coverage planner, each over db: the gazetteer index (the
// shipped places, the newest import and the alert service's own, names
// near area ranked first), the risk service, the coverage service (its
// analysis grid cells, from serve --coverage-cells, or when nil derived
// from the data around the embedded reference cells), the events feed,
// the demo marker and the health check. The server's Alerts must be set
// first: the index gives it the gazetteer; its Performance, when set
// first, names cells with the index too.
func useMapServices(s *web.Server, db *storage.DB, area *geotext.Area, cells *coverage.Cells, log *slog.Logger) error {
	shipped, err := demo.Gazetteer()
	if err != nil {
		return err
	}
	places := &geotext.Index{Store: db, Shipped: shipped, Area: area, Log: log}
	if s.Alerts != nil {
		places.User = s.Alerts
	}
	ref, err := demo.ReferenceCells()
	if err != nil {
		return err
	}
	s.Places = places
	s.Risk = &risk.Service{Store: db, Places: places}
	s.Coverage = coverage.NewService(db, cells, ref)
	s.Coverage.Forecast, s.Coverage.Places = s.Risk, places
	if s.Performance != nil {
		s.Performance.Places = places // the watch's and the alerts' cells by name
	}
	s.Feed = &feed.Service{Store: db, Places: places}
	s.Demo = &demo.Status{Store: db}
	s.Health = db
	return nil
}
