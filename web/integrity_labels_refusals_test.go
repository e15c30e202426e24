package web

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestIntegrityLabelRefusalKeys: a label request naming no item or no
// label, or an unknown label, is refused 400 naming the field, keyed so
// the French page says it, and nothing is written; an unknown item stays
// 404 with its key; a model activation naming no model is refused the
// same way (it would re-score every item with the built-in model).
func TestIntegrityLabelRefusalKeys(t *testing.T) {
	e := newIntegrityEnv(t)
	ana := e.tokens["ana"]
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: ana, body: integrityExport, ctype: "text/csv"}); resp.StatusCode != 200 {
		t.Fatalf("import: %d %s", resp.StatusCode, b)
	}
	_, b := e.do(nil, "GET", "/api/v1/integrity/items", reqOpt{token: ana})
	var list struct{ Items []struct{ ID int64 } }
	if json.Unmarshal(b, &list); len(list.Items) == 0 {
		t.Fatalf("items: %s", b)
	}
	id := jsonInt(list.Items[0].ID)
	post := func(name, path, body string, status int, key, fr string) keyedCase {
		return keyedCase{name: name, method: "POST", path: path, body: strings.ReplaceAll(body, "ID", id),
			opt: reqOpt{token: ana, ctype: "application/json"}, status: status, key: key, fr: fr}
	}
	const labels, activate = "/api/v1/integrity/labels", "/api/v1/integrity/models/activate"
	checkKeyed(t, e, []keyedCase{
		post("empty body", labels, `{}`, 400, "refusal.field", "item\u00a0: est requis"),
		post("no item", labels, `{"label": "harmful"}`, 400, "refusal.field", "item\u00a0: est requis"),
		post("item 0", labels, `{"item": 0, "label": "harmful"}`, 400, "refusal.field", "item\u00a0: 0 n’est pas un identifiant de contenu"),
		post("no label", labels, `{"item": ID}`, 400, "refusal.field", "label\u00a0: est requis\u00a0: harmful, normal, ou « » (vide) pour retirer l’étiquette"),
		post("unknown label", labels, `{"item": ID, "label": "toxic"}`, 400, "refusal.field", "label\u00a0: «\u202ftoxic\u202f» n’est ni harmful ni normal (non nuisible)"),
		post("unknown item", labels, `{"item": 999999, "label": "harmful"}`, 404, "refusal.kind.not-found", "introuvable"),
		post("no model", activate, `{}`, 400, "refusal.field", "model\u00a0: est requis\u00a0: un identifiant de modèle (0\u00a0: le modèle intégré)"),
	})
	var l struct{ Harmful, Normal int }
	if _, b := e.do(nil, "GET", "/api/v1/integrity/models", reqOpt{token: ana}); json.Unmarshal(b, &l) != nil || l.Harmful+l.Normal != 0 {
		t.Errorf("refused labels written: %s", b)
	}
	if resp, b := e.do(nil, "POST", labels, reqOpt{token: ana, body: `{"item": ` + id + `, "label": "normal"}`, ctype: "application/json"}); resp.StatusCode != 200 || !strings.Contains(string(b), `"labelled":"normal"`) {
		t.Errorf("valid label: %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do(nil, "POST", labels, reqOpt{token: ana, body: `{"item": ` + id + `, "label": ""}`, ctype: "application/json"}); resp.StatusCode != 200 || strings.Contains(string(b), `"labelled"`) {
		t.Errorf("label removed: %d %s", resp.StatusCode, b)
	}
}
