package web

import (
	"net/http"

	"github.com/vigil-project/vigil/integrity"
)

// Information integrity, learning from analysts (issue 13): the progress of
// re-matching stored items after a lexicon change. Each handler decodes,
// calls one integrity.Service method and encodes.

// integrityRematchStatus answers GET /api/v1/integrity/terms/rematch.
func (s *Server) integrityRematchStatus(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.RematchStatus(), nil)
}
