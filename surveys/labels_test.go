package surveys_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
	"github.com/vigil-project/vigil/xform"
)

// The starter form's breakdowns and choices read as its own English and
// French labels; a form with inline labels and no translations gives them
// in English only.
func TestFormLabels(t *testing.T) {
	pf, err := xform.Parse(starter.FormXML)
	if err != nil {
		t.Fatal(err)
	}
	l := surveys.FormLabels(pf)
	for _, c := range []struct {
		field, value string
		want         surveys.LangText
	}{
		{"sex", "female", surveys.LangText{EN: "Female", FR: "Femme"}},
		{"sex", "no_answer", surveys.LangText{EN: "Prefers not to say", FR: "Préfère ne pas répondre"}},
		{"region", "centre", surveys.LangText{EN: "Centre", FR: "Centre"}},
		{"age_group", "65_plus", surveys.LangText{EN: "65 or older", FR: "65 ans ou plus"}},
		{"displacement", "idp", surveys.LangText{EN: "Internally displaced", FR: "Déplacé interne"}},
	} {
		if got := l.Choices[c.field][c.value]; got != c.want {
			t.Errorf("%s=%s: %+v, want %+v", c.field, c.value, got, c.want)
		}
	}
	if got := l.Fields["age_group"]; got.EN != "Age group" || got.FR == "" || got.FR == got.EN {
		t.Errorf("age_group label %+v", got)
	}

	inline := []byte(`<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>t</h:title><model><instance><data id="t"><g><sex/></g></data></instance>
<bind nodeset="/data/g/sex" type="string"/></model></h:head>
<h:body><group ref="/data/g"><select1 ref="/data/g/sex"><label>Sex</label><item><label>Woman</label><value>f</value></item><item><value>m</value></item></select1></group></h:body></h:html>`)
	pf, err = xform.Parse(inline)
	if err != nil {
		t.Fatal(err)
	}
	l = surveys.FormLabels(pf)
	if got := l.Choices["g/sex"]; len(got) != 1 || got["f"] != (surveys.LangText{EN: "Woman"}) {
		t.Errorf("inline choices %+v", got)
	}
	if got := l.Fields["g/sex"]; got != (surveys.LangText{EN: "Sex"}) {
		t.Errorf("inline field %+v", got)
	}
}

// marginStore holds one form and one margin set as the database does: its
// list of forms carries no definitions (only FormByFormID reads one).
type marginStore struct {
	surveys.Store
	surveys.AnalysisStore
	form surveys.Form
	pop  *surveys.Population
}

func (m marginStore) Forms(context.Context) ([]surveys.Form, error) {
	f := m.form
	f.XML = nil
	return []surveys.Form{f}, nil
}

func (m marginStore) FormByFormID(_ context.Context, id string) (surveys.Form, error) {
	if id != m.form.FormID {
		return surveys.Form{}, surveys.ErrNoForm
	}
	return m.form, nil
}

func (m marginStore) Margins(context.Context, string) (*surveys.Population, error) { return m.pop, nil }

// A margin set is returned with the labels its dimensions and values have
// in the stored forms (read from each form's definition), so the margins'
// view can name them; a dimension no form has keeps none.
func TestMarginSetLabels(t *testing.T) {
	// A form of its own (not the starter's, which other tests parse), so
	// that nothing has parsed this definition before.
	xml := []byte(`<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>margins</h:title><model><instance><data id="margins_labels"><area/></data></instance>
<bind nodeset="/data/area" type="string"/></model></h:head>
<h:body><select1 ref="/data/area"><label>District</label><item><label>North bank</label><value>north</value></item></select1></h:body></h:html>`)
	svc := &surveys.Service{Store: marginStore{
		form: surveys.Form{FormID: "margins_labels", XML: xml, Hash: surveys.FormHash(xml)},
		pop:  &surveys.Population{Dims: []string{"area", "clan"}, Cells: []surveys.PopCell{{Values: []string{"north", "a"}, Count: 10}}},
	}}
	got, err := svc.MarginSet(context.Background(), "census")
	if err != nil {
		t.Fatal(err)
	}
	if f := got.Labels.Fields["area"]; f.EN != "District" {
		t.Errorf("area's label %+v, want District", f)
	}
	if c := got.Labels.Choices["area"]["north"]; c.EN != "North bank" {
		t.Errorf("area=north's label %+v, want North bank", c)
	}
	if _, ok := got.Labels.Fields["clan"]; ok {
		t.Errorf("clan, which no form has, is labelled %+v", got.Labels.Fields["clan"])
	}
	if len(got.Dims) != 2 || len(got.Cells) != 1 {
		t.Errorf("the margin set itself: %+v", got.Population)
	}
}

// marginSets is marginStore with its one set listed and the form's
// analysis settings, if any.
type marginSets struct {
	marginStore
	st *surveys.Settings
}

func (m marginSets) MarginNames(context.Context) ([]string, error) { return []string{"census"}, nil }

func (m marginSets) Settings(context.Context, string) (surveys.Settings, error) {
	if m.st == nil {
		return surveys.Settings{}, surveys.ErrNoSettings
	}
	return *m.st, nil
}

// The interlocutor log's places are the values of the margin set's area
// dimension, the one a form's settings (stored, else the defaults) name as
// their area field, wherever it stands among the set's dimensions (here
// second: the first, clan, is no area), with the form's labels; with no
// form naming one of the set's dimensions, there are none.
func TestInterlocutorAreas(t *testing.T) {
	xml := []byte(`<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>areas</h:title><model><instance><data id="areas"><area/></data></instance>
<bind nodeset="/data/area" type="string"/></model></h:head>
<h:body><select1 ref="/data/area"><label>District</label><item><label>North bank</label><value>north</value></item></select1></h:body></h:html>`)
	store := marginStore{
		form: surveys.Form{FormID: "areas", XML: xml, Hash: surveys.FormHash(xml)},
		pop: &surveys.Population{Dims: []string{"clan", "area"}, Cells: []surveys.PopCell{
			{Values: []string{"a", "north"}, Count: 10}, {Values: []string{"b", "north"}, Count: 5}, {Values: []string{"a", "south"}, Count: 7}}},
	}
	noDefaults := func(string) (surveys.Settings, bool) { return surveys.Settings{}, false }
	areaDefaults := func(form string) (surveys.Settings, bool) {
		return surveys.Settings{AreaField: "area"}, form == "areas"
	}
	for _, c := range []struct {
		name string
		st   *surveys.Settings
		def  func(string) (surveys.Settings, bool)
		want []surveys.AreaChoice
	}{
		{"stored settings", &surveys.Settings{AreaField: "area"}, noDefaults, []surveys.AreaChoice{{Code: "north", Label: surveys.LangText{EN: "North bank"}}, {Code: "south"}}},
		{"defaults", nil, areaDefaults, []surveys.AreaChoice{{Code: "north", Label: surveys.LangText{EN: "North bank"}}, {Code: "south"}}},
		{"no area field among the dimensions", &surveys.Settings{AreaField: "region"}, noDefaults, []surveys.AreaChoice{}},
		{"no settings", nil, noDefaults, []surveys.AreaChoice{}},
	} {
		svc := &surveys.Service{Store: marginSets{store, c.st}}
		got, err := svc.InterlocutorAreas(context.Background(), c.def)
		if err != nil || !reflect.DeepEqual(got.Areas, c.want) {
			t.Errorf("%s: %+v %v, want %+v", c.name, got.Areas, err, c.want)
		}
	}
	// The community groups, the same way, from the dimension the settings
	// name as their group dimension (clan here), codes without labels where
	// no form labels them; none when no dimension is named so.
	for _, c := range []struct {
		name string
		st   surveys.Settings
		want []surveys.AreaChoice
	}{
		{"group dimension", surveys.Settings{AreaField: "area", GroupDim: "clan"}, []surveys.AreaChoice{{Code: "a"}, {Code: "b"}}},
		{"no group dimension", surveys.Settings{AreaField: "area"}, []surveys.AreaChoice{}},
		{"group dimension not among the set's", surveys.Settings{AreaField: "area", GroupDim: "displacement"}, []surveys.AreaChoice{}},
	} {
		svc := &surveys.Service{Store: marginSets{store, &c.st}}
		got, err := svc.InterlocutorAreas(context.Background(), noDefaults)
		if err != nil || !reflect.DeepEqual(got.Groups, c.want) {
			t.Errorf("%s: groups %+v %v, want %+v", c.name, got.Groups, err, c.want)
		}
	}
}
