package web

import (
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/events/feed"
	"github.com/vigil-project/vigil/forecast/risk"
)

// initServices gives the server the services it was not given, built over
// the ones it has (Handler calls it).
func (s *Server) initServices() {
	places, err := s.placesIndex()
	if err != nil {
		s.Log.Error("gazetteer", "err", err)
	}
	if s.Risk == nil {
		s.Risk = &risk.Service{}
		if s.DB != nil {
			s.Risk.Store = s.DB
		}
		if places != nil {
			s.Risk.Places = places
		}
	}
	if s.Risk.Refreshes == nil {
		s.Risk.Refreshes = s.refreshGrids
	}
	if s.Coverage == nil && s.DB != nil {
		ref, err := demo.ReferenceCells()
		if err != nil {
			s.Log.Error("reference PRIO-GRID cells", "err", err)
		}
		s.Coverage = coverage.NewService(s.DB, nil, ref)
	}
	if s.Coverage != nil {
		if s.Coverage.Forecast == nil && s.Risk.Store != nil {
			s.Coverage.Forecast = s.Risk
		}
		if s.Coverage.Places == nil && places != nil {
			s.Coverage.Places = places
		}
	}
	if s.Contacts != nil && s.Alerts != nil && s.Contacts.GatewayChanged == nil {
		// A secret set with a gateway's broadcast settings stops the old
		// one at the alert intake at once; new sending settings change
		// what a tipline's form promises at once.
		s.Contacts.GatewayChanged = s.Alerts.ForgetChannels
	}
	if s.Performance != nil && s.Performance.Places == nil && places != nil {
		s.Performance.Places = places // the options' sites by name, the watch's cells
	}
	if s.Demo == nil {
		s.Demo = &demo.Status{}
		if s.DB != nil {
			s.Demo.Store = s.DB
		}
	}
	if s.Health == nil && s.DB != nil {
		s.Health = s.DB
	}
	if s.Feed == nil {
		s.Feed = &feed.Service{Store: s.Events}
		if places != nil {
			s.Feed.Places = places
		}
	}
}
