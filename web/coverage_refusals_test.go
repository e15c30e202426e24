package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TestCoverageRiskRefusalKeys: the coverage and risk APIs answer a refusal
// with its English "error" and status as always, and beside them the
// catalog key and arguments that say the same text (checked) and its
// French: a deployments file (CSV, Geo-PKO) and a population layer refused
// at their line, the planner's p of 0, a cut's share, a try's mobility,
// Responsiveness's period, the rainy seasons, a scenario or population
// layer that is not there; the risk layer's cell_size, a cell id that is
// not one, no forecast stored, a refresh while one runs.
func TestCoverageRiskRefusalKeys(t *testing.T) {
	e := newEnv(t)
	loadCAR(t, e)
	ana := e.tokens["ana"]
	body := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	as := func(name, method, path, body string, status int, key, fr string) keyedCase {
		return keyedCase{name: name, method: method, path: path, body: body, opt: reqOpt{token: ana}, status: status, key: key, fr: fr}
	}
	deploy := func(format, name, data string) string {
		return body(map[string]string{"format": format, "name": name, "data": data})
	}
	// Before any deployment is stored.
	checkKeyed(t, e, []keyedCase{
		as("no deployments", "GET", "/api/v1/coverage/responsiveness", "", 404, "refusal.coverage.no-deployments", "aucun déploiement enregistré"),
		as("bad row", "POST", "/api/v1/coverage/deployments", deploy("csv", "sites.csv", strings.Replace(covCSV, "2017-03,2017-09", "2017-09,2017-03", 1)), 400,
			apperr.KeyAtLineField, "fichier sites.csv, ligne 4, colonne end\u00a0: 2017-03 est avant le début 2017-09"),
		as("Geo-PKO year", "POST", "/api/v1/coverage/deployments", deploy("geopko", "pko.csv", "mission,year,month,latitude,longitude,no.troops\nM,x,1,1,1,1\n"), 400,
			apperr.KeyAtLineField, "fichier pko.csv, ligne 2, colonne year\u00a0: «\u202fx\u202f» n’est pas une année"),
	})
	if resp, b := e.do(nil, "POST", "/api/v1/coverage/deployments", reqOpt{token: ana, body: deploy("csv", "sites.csv", covCSV)}); resp.StatusCode != 200 {
		t.Fatalf("import: %d %s", resp.StatusCode, b)
	}
	checkKeyed(t, e, []keyedCase{
		as("population", "POST", "/api/v1/coverage/population", body(map[string]string{"name": "p.csv", "data": "gid,population\nx,1\n"}), 400,
			apperr.KeyAtLine, "fichier p.csv, ligne 2\u00a0: gid «\u202fx\u202f» n’est pas un entier"),
		as("plan p 0", "POST", "/api/v1/coverage/plan", `{"month":"2017-07","p":0}`, 400, "refusal.mclp.nothing", "mclp\u00a0: indiquez p > 0 nouveaux sites, un budget > 0, ou les deux"),
		as("cut share", "POST", "/api/v1/coverage/cut", `{"month":"2017-07","share":26}`, 400, "refusal.coverage.share", "réduction 26\u00a0: attendu une fraction entre 0 et 1 (p. ex. 0.26)"),
		as("try mobility", "POST", "/api/v1/coverage/try", `{"month":"2017-07","lat":5,"lon":20,"mobility":"bike"}`, 400, "refusal.coverage.mobility", "mobilité «\u202fbike\u202f»\u00a0: attendu foot, vehicle ou air"),
		as("period", "GET", "/api/v1/coverage/responsiveness?from=2017-05&to=2017-01", "", 400, "refusal.coverage.to-before", "la fin de la période (2017-01) précède son début (2017-05)"),
		as("seasons", "PUT", "/api/v1/coverage/seasons", `{"rainy_months":{}}`, 400, "refusal.coverage.seasons-none", "rainy_months\u00a0: indiquez au moins un pays"),
		as("season month", "PUT", "/api/v1/coverage/seasons", `{"rainy_months":{"Mali":[13]}}`, 400, apperr.KeyField, "rainy_months.Mali\u00a0: mois 13 hors de 1–12"),
		as("no scenario", "GET", "/api/v1/coverage/scenarios/99", "", 404, "refusal.coverage.no-scenario", "aucun scénario 99"),
		as("no population", "DELETE", "/api/v1/coverage/population", "", 404, "refusal.coverage.no-population", "aucune couche de population chargée"),
		as("cell size", "GET", "/api/v1/risk?grid=ops&cell_size=0.6", "", 400, apperr.KeyField,
			"cell_size\u00a0: «\u202f0.6\u202f»\u00a0: attendu la taille de cellule de la grille ops en degrés, au-dessus de 0 et au plus 0.5"),
		as("not a cell", "GET", "/api/v1/risk/cell/0", "", 400, apperr.KeyField, "gid\u00a0: «\u202f0\u202f» n’est pas un identifiant de cellule de la grille"),
		as("no forecast", "GET", "/api/v1/risk", "", 404, "refusal.risk.no-refresh",
			"aucune prévision enregistrée pour os\u00a0: ce serveur ne calcule pas de prévisions (un administrateur les enregistre avec vigil forecast)"),
	})
	// Something else computes forecasts: a refresh is refused as while one runs.
	e.s.Forecasts = &forecast.Refresher{Store: e.db, Busy: func(context.Context) bool { return true }}
	checkKeyed(t, e, []keyedCase{as("refresh running", "POST", "/api/v1/risk/refresh", "", 409, "refusal.forecast.running", "une actualisation des prévisions est déjà en cours")})
}
