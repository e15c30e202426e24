package surveys_test

import (
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
