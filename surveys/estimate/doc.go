// Package estimate is Vigil's design-based survey estimation.
//
// It covers sampling weights, strata, one- or multi-stage cluster samples and
// finite population corrections; post-stratification, raking and weight
// trimming; means, proportions and totals with standard errors by Taylor
// linearisation, design effects, logit-interval confidence intervals for
// proportions, domain (subgroup) estimates and the difference between two
// independent rounds.
//
// The arithmetic follows R's survey package (Lumley) function by function —
// svydesign, svyrecvar, svymean, svytotal, svyciprop(method="logit"),
// postStratify, rake and trimWeights — so that results agree with R to at
// least four significant digits; the tests check this against R's published
// api examples and against goldens produced by the R scripts committed under
// testdata/r/. R is not needed at run time.
//
// Domains are estimated as subpopulations (rows outside the domain keep their
// place in the design with a zero contribution), never by subsetting the
// design, so that the number of sampled clusters per stratum is that of the
// whole sample. Missing values (NaN) are treated the same way, as R does with
// na.rm=TRUE.
package estimate
