package surveys

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/download"
	"github.com/vigil-project/vigil/internal/nonnil"
	"github.com/vigil-project/vigil/internal/query"
)

// The requests of the survey API (/api/v1/surveys/…) as the service
// answers them: queries are parsed here (errors are bad input naming the
// parameter), bodies are the input types below, and answers are what the
// handler encodes.

// SettingsOf returns form's stored analysis settings; a form without any
// gets def's (the starter form's defaults) when def has them, else not
// found saying how to set them.
func (s *Service) SettingsOf(ctx context.Context, form string, def func(form string) (Settings, bool)) (Settings, error) {
	st, err := s.StoredSettings(ctx, form)
	if errors.Is(err, ErrNoSettings) {
		if d, ok := def(form); ok {
			return d, nil
		}
		return st, refuseField(apperr.KindNotFound, "", "form %q has no analysis settings: PUT /api/v1/surveys/forms/%s/analysis/settings first", form, form)
	}
	return st, err
}

// PutSettings stores form's analysis settings and answers them.
func (s *Service) PutSettings(ctx context.Context, actor, form string, st Settings) (Settings, error) {
	return st, s.SaveSettings(ctx, actor, form, st)
}

// Within is the map's country filter: whether a point is in a chosen
// country.
type Within interface {
	At(lat, lon float64) bool
}

// ParseAnalyseQuery reads the query of GET …/forms/{form}/analysis
// [?round=][&compare=][&from=][&to=][&country=] (the country filter is the
// caller's to read).
func ParseAnalyseQuery(q url.Values) (AnalyseQuery, error) {
	err := query.Check(q, "round", "compare", "country", "from", "to")
	return AnalyseQuery{Round: q.Get("round"), Compare: q.Get("compare"), From: q.Get("from"), To: q.Get("to")}, err
}

// AnalyseWithin is Analyse with the map's cells in the chosen countries
// only (in nil: every cell).
func (s *Service) AnalyseWithin(ctx context.Context, actor, form string, st Settings, q AnalyseQuery, in Within) (*AnalysisResult, error) {
	res, err := s.Analyse(ctx, actor, form, st, q)
	if err != nil || in == nil {
		return res, err
	}
	res.Cells = slices.DeleteFunc(res.Cells, func(c MapCell) bool { return !in.At(c.Lat, c.Lon) })
	return res, nil
}

// ExportQuery is the query of GET …/forms/{form}/export
// [?round=][&format=csv|hxl|report][&text=FIELD,…].
type ExportQuery struct {
	Round, Format, Text string
}

// ParseExportQuery reads an ExportQuery.
func ParseExportQuery(q url.Values) (ExportQuery, error) {
	if err := query.Check(q, "round", "format", "text"); err != nil {
		return ExportQuery{}, err
	}
	return ExportQuery{q.Get("round"), q.Get("format"), q.Get("text")}, CheckExportFormat(q.Get("format"))
}

// ExportAnswer is the export eq asks for: the disclosure report (format
// report), else the CSV file to save, whose X-Vigil-Disclosure header sums
// up the protection. The file is streamed (Export.WriteCSV): everything
// that can refuse the export has passed when ExportAnswer returns.
func (s *Service) ExportAnswer(ctx context.Context, actor, form string, st Settings, eq ExportQuery) (any, error) {
	ex, err := s.PrepareExport(ctx, actor, form, st, eq.Round, eq.Format, eq.Text)
	if err != nil {
		return nil, err
	}
	rep := ex.Report
	if eq.Format == "report" {
		return rep, nil
	}
	return &download.File{Name: ex.Name + ".csv", Type: "text/csv; charset=utf-8", Write: ex.WriteCSV, Header: map[string]string{
		"X-Vigil-Disclosure": fmt.Sprintf("k=%d records=%d blocked=%d mean_risk=%.4f max_risk=%.4f", rep.K, rep.Records, rep.RecordsBlocked, rep.MeanRiskAfter, rep.MaxRiskAfter)}}, nil
}

// MarginList is the names of the stored margin sets.
type MarginList struct {
	Margins []string `json:"margins"`
}

// MarginSets lists the stored margin sets.
func (s *Service) MarginSets(ctx context.Context) (MarginList, error) {
	names, err := s.MarginNames(ctx)
	return MarginList{names}, err
}

// MarginSetView is a margin set with the labels (EN/FR) the stored forms
// give its dimensions and their values, so that a view of it shows
// "Age group: 18–24" instead of age_group and 18_24.
type MarginSetView struct {
	*Population
	Labels *Labels `json:"labels"`
}

// MarginSet returns the margin set name: a set not loaded, which the
// analyses call a conflict, is not found here. Its labels are those of the
// stored forms' fields named like its dimensions (the first form, by form
// id, that labels a field or a value wins); a form whose definition cannot
// be read gives none.
func (s *Service) MarginSet(ctx context.Context, name string) (*MarginSetView, error) {
	p, err := s.Margins(ctx, name)
	if ae := apperr.As(err); ae != nil && ae.Kind == apperr.KindConflict {
		missing := *ae
		missing.Kind = apperr.KindNotFound
		err = &missing
	}
	if err != nil {
		return nil, err
	}
	forms, err := s.Store.Forms(ctx)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(forms, func(a, b Form) int { return cmp.Compare(a.FormID, b.FormID) })
	out := &Labels{Fields: map[string]LangText{}, Choices: map[string]map[string]LangText{}}
	for _, f := range forms {
		// The store's list carries no definitions: read each form's own.
		l, err := s.Labels(ctx, f.FormID)
		if err != nil {
			continue
		}
		for _, d := range p.Dims {
			if _, ok := out.Fields[d]; !ok {
				if lt, ok := l.Fields[d]; ok {
					out.Fields[d] = lt
				}
			}
			for v, lt := range l.Choices[d] {
				if out.Choices[d] == nil {
					out.Choices[d] = map[string]LangText{}
				}
				if _, ok := out.Choices[d][v]; !ok {
					out.Choices[d][v] = lt
				}
			}
		}
	}
	return &MarginSetView{p, out}, nil
}

// AreaChoice is an area the interlocutor log's place is chosen from: the
// code the margins hold (and "who is unheard" matches the log against),
// with the forms' label for it in English and French (empty when no form
// labels it).
type AreaChoice struct {
	Code  string   `json:"code"`
	Label LangText `json:"label"`
}

// AreaList is {"areas": [...], "groups": [...]} (never null): the
// interlocutor log's places and community groups.
type AreaList struct {
	Areas  []AreaChoice `json:"areas"`
	Groups []AreaChoice `json:"groups"`
}

// InterlocutorAreas lists the areas of the stored margin sets, the
// choices of the interlocutor log's place: a set's area dimension is the
// one named by a form's analysis settings as its area field (stored
// settings, else def's defaults, as the analyses read them), whatever its
// place among the set's dimensions; a set with no such dimension gives
// none. Its groups are, the same way, the values of the dimension a form's
// settings name as their group dimension (GroupDim: displacement status),
// which "who is unheard" matches the log's community group against. Only
// codes and labels are answered, not the sets' cells. Sets are read in
// their listed order; the first label of a code wins.
func (s *Service) InterlocutorAreas(ctx context.Context, def func(form string) (Settings, bool)) (AreaList, error) {
	out := AreaList{Areas: []AreaChoice{}, Groups: []AreaChoice{}}
	names, err := s.MarginNames(ctx)
	if err != nil || len(names) == 0 {
		return out, err
	}
	forms, err := s.Store.Forms(ctx)
	if err != nil {
		return out, err
	}
	areaFields, groupDims := map[string]bool{}, map[string]bool{}
	for _, f := range forms {
		st, err := s.SettingsOf(ctx, f.FormID, def)
		if err != nil && !errors.Is(err, apperr.ErrNotFound) {
			return out, err
		}
		if err == nil && st.AreaField != "" {
			areaFields[st.AreaField] = true
		}
		if err == nil && st.GroupDim != "" {
			groupDims[st.GroupDim] = true
		}
	}
	seenArea, seenGroup := map[string]bool{}, map[string]bool{}
	for _, name := range names {
		set, err := s.MarginSet(ctx, name)
		if err != nil {
			return out, err
		}
		out.Areas = dimChoices(out.Areas, set, areaFields, seenArea)
		out.Groups = dimChoices(out.Groups, set, groupDims, seenGroup)
	}
	return out, nil
}

// dimChoices appends to out the values of set's first dimension in dims
// not yet seen, with their labels.
func dimChoices(out []AreaChoice, set *MarginSetView, dims, seen map[string]bool) []AreaChoice {
	at := slices.IndexFunc(set.Dims, func(d string) bool { return dims[d] })
	if at < 0 {
		return out
	}
	for _, c := range set.Cells {
		if v := c.Values[at]; !seen[v] {
			seen[v] = true
			out = append(out, AreaChoice{Code: v, Label: set.Labels.Choices[set.Dims[at]][v]})
		}
	}
	return out
}

// MarginsLoaded sums up a loaded margin set.
type MarginsLoaded struct {
	Cells int      `json:"cells"`
	Dims  []string `json:"dims"`
	Name  string   `json:"name"`
}

// PutMargins loads the margins CSV in r (header: dimensions and
// "population") as the set name.
func (s *Service) PutMargins(ctx context.Context, actor, name string, r io.Reader) (MarginsLoaded, error) {
	p, err := s.LoadMargins(ctx, actor, name, r)
	if err != nil {
		return MarginsLoaded{}, err
	}
	return MarginsLoaded{len(p.Cells), p.Dims, name}, nil
}

// InterlocutorLog is the interlocutor log: {"interlocutors": [...]} (never
// null).
type InterlocutorLog struct {
	Interlocutors []Interlocutor `json:"interlocutors"`
}

// OpenLog opens the interlocutor log for the query [?from=YYYY-MM-DD]
// [&to=YYYY-MM-DD] (a sensitive read, audited; see Interlocutors).
func (s *Service) OpenLog(ctx context.Context, actor string, q url.Values) (InterlocutorLog, error) {
	if err := query.Check(q, "from", "to"); err != nil {
		return InterlocutorLog{}, err
	}
	log, err := nonnil.List(s.Interlocutors(ctx, actor, q.Get("from"), q.Get("to")))
	return InterlocutorLog{log}, err
}

// FormList is the forms with their counts: {"forms": [...]}.
type FormList struct {
	Forms []FormSummary `json:"forms"`
}

// Forms lists the forms with their counts.
func (s *Service) Forms(ctx context.Context) (FormList, error) {
	fs, err := s.FormSummaries(ctx)
	return FormList{fs}, err
}

// StateChange is the body of PUT …/forms/{form}/state.
type StateChange struct {
	State string `json:"state"`
}

// FormState is a form's state after a change.
type FormState struct {
	Form  string `json:"form"`
	State string `json:"state"`
}

// ChangeState opens or closes form.
func (s *Service) ChangeState(ctx context.Context, actor, form string, ch StateChange) (FormState, error) {
	if ch.State != Open && ch.State != Closed {
		return FormState{}, refuseField(apperr.KindInvalid, "state", "state must be %q or %q", Open, Closed)
	}
	err := s.SetState(ctx, actor, form, ch.State)
	if errors.Is(err, ErrNoForm) {
		return FormState{}, refuseField(apperr.KindNotFound, "", "form %q does not exist", form)
	}
	return FormState{form, ch.State}, err
}

// EnumeratorGrant is the body of POST …/forms/{form}/enumerators.
type EnumeratorGrant struct {
	User string `json:"user"`
}

// Granted says who may now submit to which form.
type Granted struct {
	Form string `json:"form"`
	User string `json:"user"`
}

// AddEnumerator lets g.User submit to form.
func (s *Service) AddEnumerator(ctx context.Context, actor, form string, g EnumeratorGrant) (Granted, error) {
	f, acct, err := s.GrantForm(ctx, actor, form, g.User)
	return Granted{f.FormID, acct.Name}, err
}
