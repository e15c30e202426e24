package risk_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/forecast/risk"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestRefusalMessages: every refusal the map's risk layer, a cell's or a
// country's explanation can meet carries its whole text as a catalog
// message (the API's key and args): a run key's cell_size, a place that
// is not one, and no forecast stored for the layer (the latest run, a
// month at a horizon, on a grid), a cell, a country or a backtest. English
// is the error as it always read, French what a French page shows; every
// message of risk.Refusals is said by one.
func TestRefusalMessages(t *testing.T) {
	ctx := context.Background()
	empty, _ := memService()
	s, _, _, _ := twoCellService(ctx, 4.25, 0.2, 4.75, 0.1)
	withCountry, st, _, _ := twoCellService(ctx, 4.25, 0.2, 4.75, 0.1)
	st.SaveForecast(ctx, "t", forecast.Run{Target: "osv", Grid: forecast.GridCountry, Origin: origin, Model: "gbt", Units: []forecast.Unit{{Code: 490, Name: "DR Congo (Zaire)", Cells: []int{8}}}},
		[]forecast.CellRisk{cellRisk(origin+1, 1, 490, 0.4)})
	every := func() (events.CountrySet, error) { return nil, nil }
	q := func(v string) url.Values { x, _ := url.ParseQuery(v); return x }
	second := func(_ any, err error) error { return err }
	layer := func(s *risk.Service, query string) error { return second(s.LayerQuery(ctx, q(query), every)) }
	// s's server refreshes both grids, cellsOnly's has no cell list,
	// empty's and bare's no refresh
	s.Refreshes = func() []string { return []string{forecast.GridCountry, forecast.GridPrio} }
	cellsOnly, _ := memService()
	cellsOnly.Refreshes = func() []string { return []string{forecast.GridPrio} }
	bare := &risk.Service{Store: s.Store}
	noForecast := func(what string) string {
		return "aucune prévision enregistrée pour " + what + " pour l’instant\u00a0: un analyste peut appuyer sur «\u202fActualiser les prévisions\u202f» dans la légende de la couche de risque"
	}
	noRefresh := func(what string) string {
		return "aucune prévision enregistrée pour " + what + "\u00a0: ce serveur ne calcule pas de prévisions (un administrateur les enregistre avec vigil forecast)"
	}
	reached := map[string]bool{}
	type C = apperrtest.Case
	apperrtest.SaidAll(t, reached,
		C{Name: "cell size", Err: layer(s, "grid=ops&cell_size=0.6"), FR: "cell_size\u00a0: «\u202f0.6\u202f»\u00a0: attendu la taille de cellule de la grille ops en degrés, au-dessus de 0 et au plus 0.5"},
		C{Name: "cell size without ops", Err: layer(s, "cell_size=0.1"), FR: "cell_size ne s’applique qu’avec grid=ops"},
		C{Name: "not a cell", Err: second(s.Explain(ctx, risk.CellPlace, "0", nil)), FR: "gid\u00a0: «\u202f0\u202f» n’est pas un identifiant de cellule de la grille"},
		C{Name: "not a country", Err: second(s.Explain(ctx, risk.CountryPlace, "-1", nil)), FR: "code\u00a0: «\u202f-1\u202f» n’est pas un code de pays (p. ex. 490)"},
		C{Name: "no forecast", Err: layer(cellsOnly, ""), FR: noForecast("os")},
		C{Name: "no forecast, no refresh", Err: layer(empty, ""), FR: noRefresh("os")},
		C{Name: "no country forecast, no cell list", Err: layer(cellsOnly, "grid=country"),
			FR: "aucune prévision enregistrée pour os sur la grille country\u00a0: ce serveur ne calcule pas de prévisions par pays, faute de liste des cellules PRIO-GRID (un administrateur le démarre avec vigil serve --forecast-cells FICHIER)"},
		C{Name: "no forecast on a grid not refreshed", Err: layer(cellsOnly, "grid=ops&cell_size=0.25"),
			FR: "aucune prévision enregistrée pour os sur la grille ops\u00a0: l’actualisation de ce serveur ne calcule pas cette grille (un administrateur l’enregistre avec vigil forecast)"},
		C{Name: "no forecast on a grid", Err: layer(s, "grid=country"), FR: noForecast("os sur la grille country")},
		C{Name: "no forecast of the month", Err: layer(s, "month=2030-01&horizon=2"), FR: noForecast("os, mois 2030-01 à l’horizon 2")},
		C{Name: "no forecast of a cell", Err: second(empty.Explain(ctx, risk.CellPlace, "7", nil)), FR: noRefresh("cellule 7 (os)")},
		C{Name: "no forecast of a country", Err: second(s.Explain(ctx, risk.CountryPlace, "490", nil)), FR: noForecast("pays 490 (os)")},
		C{Name: "not a grid to explain a cell by", Err: second(s.Explain(ctx, risk.CellPlace, "7", q("grid=ops"))), FR: "grid\u00a0: «\u202fops\u202f»\u00a0: attendu country (le pays de la cellule) ou rien (la cellule elle-même)"},
		C{Name: "no country forecast of a cell", Err: second(s.Explain(ctx, risk.CellPlace, "7", q("grid=country"))), FR: noForecast("le pays de la cellule 7 (os)")},
		C{Name: "a cell in no country", Err: second(withCountry.Explain(ctx, risk.CellPlace, "7", q("grid=country"))), FR: "la cellule 7 n’est dans aucun pays de la dernière prévision par pays (os)"},
		C{Name: "no backtest run", Err: second(empty.BacktestQuery(ctx, q("grid=ops"))), FR: noRefresh("os sur la grille ops")},
		C{Name: "no backtest, a refresh away", Err: second(s.BacktestQuery(ctx, nil)),
			FR: "la dernière prévision os n’a pas de backtest\u00a0: un analyste peut appuyer sur «\u202fActualiser les prévisions\u202f» dans la légende de la couche de risque (sa prévision par cellule est vérifiée sur les 12 derniers mois)"},
		C{Name: "no backtest, no refresh", Err: second(bare.BacktestQuery(ctx, nil)),
			FR: "la dernière prévision os n’a pas de backtest\u00a0: l’actualisation de ce serveur ne vérifie pas cette grille (un administrateur lance vigil forecast avec --backtest-months)"},
	)
	apperrtest.Catalog(t, risk.Refusals, reached)
}
