package estimate

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// qnorm is the standard normal quantile function.
func qnorm(p float64) float64 { return distuv.UnitNormal.Quantile(p) }

// qt is the quantile function of Student's t distribution with df degrees of
// freedom; df <= 0 or infinite gives the normal quantile.
func qt(p, df float64) float64 {
	if df <= 0 || math.IsInf(df, 1) || df > 1e7 {
		return qnorm(p)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}
