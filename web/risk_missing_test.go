package web

import (
	"testing"

	"github.com/vigil-project/vigil/forecast"
)

// TestRiskMissingSaysBrowserPath: a forecast that is not stored is refused
// with what a browser user can do on this server, in English and French:
// press "Refresh forecasts now" when the server's refresh computes that
// grid (the country forecast only with a PRIO-GRID cell list); otherwise
// what the server lacks and what an administrator does — never "run vigil
// forecast" to someone who has only the browser.
func TestRiskMissingSaysBrowserPath(t *testing.T) {
	const (
		enRefresh   = `: an analyst can press "Refresh forecasts now" in the risk layer's legend`
		frRefresh   = "\u00a0: un analyste peut appuyer sur «\u202fActualiser les prévisions\u202f» dans la légende de la couche de risque"
		enCellList  = ": this server computes no country forecasts, as it has no PRIO-GRID cell list (an administrator starts it with vigil serve --forecast-cells FILE)"
		frCellList  = "\u00a0: ce serveur ne calcule pas de prévisions par pays, faute de liste des cellules PRIO-GRID (un administrateur le démarre avec vigil serve --forecast-cells FICHIER)"
		enNoRefresh = ": this server does not compute forecasts (an administrator stores them with vigil forecast)"
		frNoRefresh = "\u00a0: ce serveur ne calcule pas de prévisions (un administrateur les enregistre avec vigil forecast)"
	)
	cellsOnly := func(db RefreshStoreDB) ForecastRefresher {
		return &forecast.Refresher{Store: db, Jobs: forecast.RefreshJobs("")}
	}
	withCountry := func(db RefreshStoreDB) ForecastRefresher {
		return &forecast.Refresher{Store: db, Jobs: forecast.RefreshJobs("cells.csv")}
	}
	for _, c := range []struct {
		name    string
		refresh func(RefreshStoreDB) ForecastRefresher // nil: none
		cases   []keyedCase
	}{
		{"cell list: the country forecast is a refresh away", withCountry, []keyedCase{
			{method: "GET", path: "/api/v1/risk/country/490", status: 404, key: "refusal.risk.no-forecast",
				en: "no forecast stored for country 490 (os) yet" + enRefresh, fr: "aucune prévision enregistrée pour pays 490 (os) pour l’instant" + frRefresh},
			{method: "GET", path: "/api/v1/risk/cell/150000?grid=country", status: 404, key: "refusal.risk.no-forecast",
				en: "no forecast stored for the country of cell 150000 (os) yet" + enRefresh, fr: "aucune prévision enregistrée pour le pays de la cellule 150000 (os) pour l’instant" + frRefresh},
			{method: "GET", path: "/api/v1/risk?grid=country", status: 404, key: "refusal.risk.no-forecast",
				en: "no forecast stored for os on grid country yet" + enRefresh, fr: "aucune prévision enregistrée pour os sur la grille country pour l’instant" + frRefresh},
		}},
		{"no cell list: an administrator gives one", cellsOnly, []keyedCase{
			{method: "GET", path: "/api/v1/risk/country/490", status: 404, key: "refusal.risk.no-cell-list",
				en: "no forecast stored for country 490 (os)" + enCellList, fr: "aucune prévision enregistrée pour pays 490 (os)" + frCellList},
			{method: "GET", path: "/api/v1/risk/cell/150000?grid=country", status: 404, key: "refusal.risk.no-cell-list",
				en: "no forecast stored for the country of cell 150000 (os)" + enCellList, fr: "aucune prévision enregistrée pour le pays de la cellule 150000 (os)" + frCellList},
			{method: "GET", path: "/api/v1/risk?grid=country", status: 404, key: "refusal.risk.no-cell-list",
				en: "no forecast stored for os on grid country" + enCellList, fr: "aucune prévision enregistrée pour os sur la grille country" + frCellList},
			// the cell forecast is still a refresh away
			{method: "GET", path: "/api/v1/risk/cell/150000", status: 404, key: "refusal.risk.no-forecast",
				en: "no forecast stored for cell 150000 (os) yet" + enRefresh, fr: "aucune prévision enregistrée pour cellule 150000 (os) pour l’instant" + frRefresh},
			{method: "GET", path: "/api/v1/risk?grid=ops&cell_size=0.25", status: 404, key: "refusal.risk.no-refresh-grid"},
		}},
		{"no refresh at all", nil, []keyedCase{
			{method: "GET", path: "/api/v1/risk/country/490", status: 404, key: "refusal.risk.no-refresh",
				en: "no forecast stored for country 490 (os)" + enNoRefresh, fr: "aucune prévision enregistrée pour pays 490 (os)" + frNoRefresh},
			{method: "GET", path: "/api/v1/risk", status: 404, key: "refusal.risk.no-refresh",
				en: "no forecast stored for os" + enNoRefresh, fr: "aucune prévision enregistrée pour os" + frNoRefresh},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			if c.refresh != nil {
				e.s.Forecasts = c.refresh(e.db)
			}
			for i := range c.cases {
				c.cases[i].opt = reqOpt{token: e.tokens["vic"]}
			}
			checkKeyed(t, e, c.cases)
		})
	}
}

// RefreshStoreDB is the test store a refresher reads.
type RefreshStoreDB = forecast.RefreshStore
