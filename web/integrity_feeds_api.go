package web

import (
	"net/http"

	"github.com/vigil-project/vigil/integrity"
)

// Scheduled RSS/Atom feeds of the Integrity page (vigil serve polls them):
// analysts list, add, remove and poll them now.

// integrityFeedCreate answers POST /api/v1/integrity/feeds
// {"url", "source", "every_minutes"}.
func (s *Server) integrityFeedCreate(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	var in struct {
		URL          string `json:"url"`
		Source       string `json:"source"`
		EveryMinutes int    `json:"every_minutes"`
	}
	if err := decodeJSON(w, r, maxIntegrityJSON, &in); err != nil {
		return err
	}
	return reply(w, http.StatusCreated)(svc.SaveFeed(r.Context(), actorName(r), integrity.Feed{URL: in.URL, Source: in.Source, EveryMinutes: in.EveryMinutes}))
}

// integrityFeedPoll answers POST /api/v1/integrity/feeds/{id}/poll: the feed
// is polled now; the answer is the feed, whose last_error says why a poll
// failed.
func (s *Server) integrityFeedPoll(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.PollFeedNow(r.Context(), actorName(r), id))
}
