package performance

import "github.com/vigil-project/vigil/alerts"

// AlertsOf is the package tests' fake alert store (incidents served by
// first report) for the external benchmarks.
func AlertsOf(ins []alerts.Incident) alerts.Store { return fakeAlerts{ins: ins} }
