package web

import (
	"net/http"

	"github.com/vigil-project/vigil/integrity"
)

// Information integrity, learning from analysts (issue 13): re-matching
// stored items after a lexicon change, analysts' labels of items,
// retraining the harmful-speech classifier and activating a model. Each
// handler decodes, calls one integrity.Service method and encodes.

// integrityRematchStatus answers GET /api/v1/integrity/terms/rematch.
func (s *Server) integrityRematchStatus(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.RematchStatus(), nil)
}

// integrityLearning answers GET /api/v1/integrity/models: the labels'
// counts, the trained models and how retraining and re-scoring go.
func (s *Server) integrityLearning(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.Learning(r.Context()))
}

// integrityTrain answers POST /api/v1/integrity/models/train: 202, the
// model is trained in the background.
func (s *Server) integrityTrain(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	return reply(w, http.StatusAccepted)(svc.Train(r.Context(), actorName(r)))
}

// integrityRescoreStatus answers GET /api/v1/integrity/models/rescore: the
// progress of scoring the stored items again after an activation.
func (s *Server) integrityRescoreStatus(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.RescoreStatus(), nil)
}
