package surveys

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/xlsform"
)

// XLSXType is the Content-Type of an XLSForm upload.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// xlsxWait is how long an XLSForm upload waits for the decompression
// budget other uploads hold, unless the service says (XLSXWait).
const xlsxWait = 30 * time.Second

// UploadForm adds the form in body: an XForm (contentType application/xml
// or text/xml) or an XLSForm (XLSXType; id names a form whose settings
// sheet has no form_id). It returns the form and the converter's or
// checker's warnings (never nil). An XLSForm waiting too long for the
// shared decompression budget is refused with 503 (field "xlsform").
func (s *Service) UploadForm(ctx context.Context, actor, contentType, id string, body []byte) (Form, []error, error) {
	var xml []byte
	switch {
	case strings.HasPrefix(contentType, XLSXType):
		// Decompression shares one budget across uploads (a zip bomb
		// cannot add up with others); wait a while for it, then ask the
		// client to retry.
		wait := s.XLSXWait
		if wait <= 0 {
			wait = xlsxWait
		}
		cctx, cancel := context.WithTimeout(ctx, wait)
		var err error
		xml, err = xlsform.ConvertContext(cctx, body, xlsform.Options{ID: id})
		cancel()
		switch {
		case errors.Is(err, xlsform.ErrBusy):
			return Form{}, nil, refuseField(apperr.KindUnavailable, "xlsform", "%s: retry in a few seconds", err)
		case errors.Is(err, xlsform.ErrTooLarge):
			return Form{}, nil, refuseErr(apperr.KindTooLarge, "xlsform", err)
		case err != nil:
			return Form{}, nil, refuseErr(apperr.KindInvalid, "xlsform", err)
		}
	case strings.HasPrefix(contentType, "application/xml"), strings.HasPrefix(contentType, "text/xml"):
		xml = body
	default:
		return Form{}, nil, refuseField(apperr.KindUnsupported, "", "Content-Type must be application/xml (XForm) or %s (XLSForm)", XLSXType)
	}
	f, warnings, err := s.AddForm(ctx, actor, xml, nil)
	if err != nil {
		return f, nil, err
	}
	if warnings == nil {
		warnings = []error{}
	}
	return f, warnings, err
}
