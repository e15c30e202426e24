package surveys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/openrosa"
)

// What the OpenRosa routes serve ODK clients, for one user: the form list,
// a form, its manifest and media files. URLs are built under base (the
// server's address as the client sees it).

func formURL(base, formID, rest string) string {
	return base + "/forms/" + url.PathEscape(formID) + "/" + rest
}

// FormList lists the open forms u may fill in (only the form only, when
// set), with their download and manifest URLs.
func (s *Service) FormList(ctx context.Context, u *auth.User, base, only string) ([]openrosa.FormEntry, error) {
	forms, err := s.FormsFor(ctx, u)
	if err != nil {
		return nil, err
	}
	var entries []openrosa.FormEntry
	for _, f := range forms {
		if only != "" && f.FormID != only {
			continue
		}
		e := openrosa.FormEntry{FormID: f.FormID, Name: f.Title, Version: f.Version, Hash: f.Hash,
			Description: f.Title, DownloadURL: formURL(base, f.FormID, "form.xml")}
		media, err := s.Store.FormMedia(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		if len(media) > 0 {
			e.ManifestURL = formURL(base, f.FormID, "manifest")
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// FormFor returns form formID if u may fill it in; a form u may not fill in
// gets the same 404 as a missing one (form ids are not revealed).
func (s *Service) FormFor(ctx context.Context, u *auth.User, formID string) (Form, error) {
	f, err := s.form(ctx, formID)
	if err != nil {
		return f, err
	}
	ok, err := s.MaySubmit(ctx, u, f)
	if err != nil {
		return f, err
	}
	if !ok {
		return f, refuseField(apperr.KindNotFound, "", "form %q does not exist", formID)
	}
	return f, nil
}

// Manifest lists the media files of form formID for u.
func (s *Service) Manifest(ctx context.Context, u *auth.User, base, formID string) ([]openrosa.MediaFile, error) {
	f, err := s.FormFor(ctx, u, formID)
	if err != nil {
		return nil, err
	}
	media, err := s.Store.FormMedia(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	files := make([]openrosa.MediaFile, 0, len(media))
	for _, m := range media {
		files = append(files, openrosa.MediaFile{Filename: m.Name, Hash: m.Hash, DownloadURL: formURL(base, f.FormID, "media/"+url.PathEscape(m.Name))})
	}
	return files, nil
}

// MediaFile returns media file name of form formID for u.
func (s *Service) MediaFile(ctx context.Context, u *auth.User, formID, name string) (Media, error) {
	f, err := s.FormFor(ctx, u, formID)
	if err != nil {
		return Media{}, err
	}
	m, err := s.Store.FormMediaFile(ctx, f.ID, name)
	if errors.Is(err, ErrNoMedia) {
		return m, refuseField(apperr.KindNotFound, "", "form %q has no media file %q", f.FormID, name)
	}
	return m, err
}

// FormSummary is a form with its number of submissions.
type FormSummary struct {
	Form
	Submissions int `json:"submissions"`
}

// FormSummaries lists every form with its number of submissions.
func (s *Service) FormSummaries(ctx context.Context) ([]FormSummary, error) {
	forms, err := s.Store.Forms(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]FormSummary, 0, len(forms))
	for _, f := range forms {
		subs, err := s.Store.Submissions(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, FormSummary{Form: f, Submissions: len(subs)})
	}
	return out, nil
}

// SubmitOpenRosa reads an OpenRosa submission request (its Content-Type
// and body, at most limits.MaxBytes), stores it for u (Submit) and returns
// the message of the client's submit_success answer, in lang ("fr" for
// French, else English).
func (s *Service) SubmitOpenRosa(ctx context.Context, u *auth.User, contentType string, body io.Reader, limits openrosa.Limits, lang string) (string, error) {
	xml, parts, err := openrosa.ReadSubmission(contentType, body, limits)
	if err != nil {
		return "", err
	}
	atts := make([]Attachment, len(parts))
	for i, p := range parts {
		atts[i] = Attachment{Name: p.Name, ContentType: p.ContentType, Content: p.Content}
	}
	res, err := s.Submit(ctx, u, xml, atts)
	if err != nil {
		return "", err
	}
	return res.Said(lang), nil
}

// Said is what the enumerator reads once the submission is stored, in
// lang ("fr" for French, else English): received, or received before with
// the number of attachments stored now.
func (r Result) Said(lang string) string {
	switch {
	case lang == "fr" && r.Created:
		return "Soumission reçue\u00a0: " + r.InstanceID
	case lang == "fr":
		n := "aucune nouvelle pièce jointe enregistrée"
		if r.Added == 1 {
			n = "1 nouvelle pièce jointe enregistrée"
		} else if r.Added > 1 {
			n = fmt.Sprintf("%d nouvelles pièces jointes enregistrées", r.Added)
		}
		return fmt.Sprintf("La soumission %s avait déjà été reçue\u202f; %s", r.InstanceID, n)
	case r.Created:
		return "Submission received: " + r.InstanceID
	}
	return fmt.Sprintf("Submission %s was already received; %d new attachments stored", r.InstanceID, r.Added)
}

// FormListDoc is the OpenRosa form list document of the forms u may fill
// in (FormList), verbose with descriptions.
func (s *Service) FormListDoc(ctx context.Context, u *auth.User, base, only string, verbose bool) ([]byte, error) {
	entries, err := s.FormList(ctx, u, base, only)
	if err != nil {
		return nil, err
	}
	return xmlDoc(func(w io.Writer) error { return openrosa.WriteFormList(w, entries, verbose) })
}

// ManifestDoc is the OpenRosa manifest document of form formID for u
// (Manifest).
func (s *Service) ManifestDoc(ctx context.Context, u *auth.User, base, formID string) ([]byte, error) {
	files, err := s.Manifest(ctx, u, base, formID)
	if err != nil {
		return nil, err
	}
	return xmlDoc(func(w io.Writer) error { return openrosa.WriteManifest(w, files) })
}

// SubmitDoc is SubmitOpenRosa answering the client's submit_success
// document, its message in lang.
func (s *Service) SubmitDoc(ctx context.Context, u *auth.User, contentType string, body io.Reader, limits openrosa.Limits, lang string) ([]byte, error) {
	msg, err := s.SubmitOpenRosa(ctx, u, contentType, body, limits, lang)
	if err != nil {
		return nil, err
	}
	return xmlDoc(func(w io.Writer) error { return openrosa.WriteResponse(w, "submit_success", msg) })
}

// xmlDoc is the document write writes.
func xmlDoc(write func(io.Writer) error) ([]byte, error) {
	var b bytes.Buffer
	err := write(&b)
	return b.Bytes(), err
}
