package surveys

import (
	"context"
	"strings"

	"github.com/vigil-project/vigil/xform"
)

// LangText is a label in English and French (FR empty when the form has
// no French translation).
type LangText struct {
	EN string `json:"en"`
	FR string `json:"fr,omitempty"`
}

// Labels are a form's question and choice labels in English and French,
// so that views of its answers (breakdowns, who is unheard) show the
// form's own words instead of field names and choice codes.
type Labels struct {
	Fields  map[string]LangText            `json:"fields"`  // answer key → question label
	Choices map[string]map[string]LangText `json:"choices"` // answer key → choice value → label
}

// FormLabels reads the labels of a parsed form's controls. Answer keys
// are paths below the form's root, as Rows gives them.
func FormLabels(pf *xform.Form) *Labels {
	out := &Labels{Fields: map[string]LangText{}, Choices: map[string]map[string]LangText{}}
	en, fr := pf.Lang("en"), pf.Lang("fr")
	text := func(label string) LangText {
		lt := LangText{EN: pf.Text(label, en)}
		if fr != "" {
			lt.FR = pf.Text(label, fr)
		}
		return lt
	}
	prefix := "/" + pf.RootName + "/"
	for ref, c := range pf.Controls {
		key := strings.TrimPrefix(ref, prefix)
		if c.Label != "" {
			if lt := text(c.Label); lt.EN != "" {
				out.Fields[key] = lt
			}
		}
		for v, l := range c.ItemLabels {
			if lt := text(l); lt.EN != "" {
				if out.Choices[key] == nil {
					out.Choices[key] = map[string]LangText{}
				}
				out.Choices[key][v] = lt
			}
		}
	}
	return out
}

// Labels returns the labels of stored form formID's current definition.
func (s *Service) Labels(ctx context.Context, formID string) (*Labels, error) {
	f, err := s.Store.FormByFormID(ctx, formID)
	if err != nil {
		return nil, err
	}
	pf, err := parsedForm(f)
	if err != nil {
		return nil, err
	}
	return FormLabels(pf), nil
}
