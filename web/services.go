package web

import (
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
	if s.Feed == nil {
		s.Feed = &feed.Service{Store: s.Events}
		if places != nil {
			s.Feed.Places = places
		}
	}
}
