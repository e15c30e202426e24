# Goldens for package estimate, computed with R's survey package.
#
# Run from the repository root (R and r-cran-survey installed:
#   apt-get install -y r-cran-survey):
#   Rscript surveys/estimate/testdata/r/goldens.R ../shared/data/survey \
#     > surveys/estimate/testdata/r/goldens.csv
#
# One row per estimate: case (the design, named as in goldens_test.go),
# statistic (mean, total, proportion), variable, by (domain variable or ""),
# group (domain level or ""), estimate, se, ci_low, ci_high, deff, df.
# Means and totals: Wald interval on the normal (confint default). Proportions:
# svyciprop(method = "logit") with df = degf of the domain. Domains through
# subset() (as svyby does). Numbers printed with 15 significant digits.
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "../shared/data/survey"
rd <- function(f) read.csv(file.path(dir, f), stringsAsFactors = FALSE)
apisrs <- rd("apisrs.csv"); apistrat <- rd("apistrat.csv")
apiclus1 <- rd("apiclus1.csv"); apiclus2 <- rd("apiclus2.csv"); apipop <- rd("apipop.csv")
apistrat$fpcfrac <- ave(rep(1, nrow(apistrat)), apistrat$stype, FUN = sum) / apistrat$fpc

pop.types <- xtabs(~stype, data = apipop)
pop.schwide <- xtabs(~sch.wide, data = apipop)
pop.awards <- xtabs(~awards, data = apipop)

designs <- list()
designs$srs <- svydesign(id = ~1, weights = ~pw, data = apisrs)
designs$srs_fpc <- svydesign(id = ~1, weights = ~pw, fpc = ~fpc, data = apisrs)
designs$dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
designs$dstrat_frac <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpcfrac, data = apistrat)
designs$dstratclus <- svydesign(id = ~dnum, strata = ~stype, weights = ~pw, data = apistrat, nest = TRUE)
designs$dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
designs$dclus1_nofpc <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
designs$dclus2 <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
designs$dclus2wr <- svydesign(id = ~dnum + snum, weights = ~pw, data = apiclus2)
designs$dclus1p <- postStratify(designs$dclus1, ~stype, pop.types)
designs$dclus1r <- rake(designs$dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide))
designs$dclus1r_trim <- trimWeights(designs$dclus1r, lower = 30, upper = 50)
designs$dstratr <- rake(designs$dstrat, list(~sch.wide, ~awards), list(pop.schwide, pop.awards))
designs$dclus2p <- postStratify(designs$dclus2, ~stype, pop.types)
options(survey.lonely.psu = "remove")
designs$dstrat_cname_remove <- svydesign(id = ~1, strata = ~cname, weights = ~pw, data = apistrat)
lonely <- c(dstrat_cname_remove = "remove")

f15 <- function(x) if (is.na(x)) "NA" else formatC(x, digits = 15, format = "g")
out <- function(case, stat, var, by, group, est, se, lo, hi, deff, df) {
  cat(case, stat, var, by, group, f15(est), f15(se), f15(lo), f15(hi), f15(deff), df, sep = ",")
  cat("\n")
}
cat("case,statistic,variable,by,group,estimate,se,ci_low,ci_high,deff,df\n")

ind <- function(des, var, val) {
  des$variables$.ind <- as.numeric(des$variables[[var]] == val)
  des
}

emit <- function(case, des, by = "", group = "") {
  old <- options(survey.lonely.psu = if (case %in% names(lonely)) lonely[[case]] else "fail")
  on.exit(options(old))
  for (v in c("api00", "enroll")) {
    m <- svymean(as.formula(paste0("~", v)), des, na.rm = TRUE, deff = TRUE)
    ci <- confint(m)
    out(case, "mean", v, by, group, coef(m)[1], SE(m)[1], ci[1], ci[2], deff(m)[1], degf(des))
    t <- svytotal(as.formula(paste0("~", v)), des, na.rm = TRUE, deff = TRUE)
    ci <- confint(t)
    out(case, "total", v, by, group, coef(t)[1], SE(t)[1], ci[1], ci[2], deff(t)[1], degf(des))
  }
  for (pv in list(c("sch.wide", "Yes"), c("awards", "Yes"), c("stype", "H"))) {
    di <- ind(des, pv[1], pv[2])
    inside <- weights(di, "sampling") != 0 & !is.na(di$variables$.ind)
    k <- sum(di$variables$.ind[inside])
    if (k == 0 || k == sum(inside)) next # p = 0 or 1: no interval to compare
    p <- svyciprop(~.ind, di, method = "logit")
    m <- svymean(~.ind, di, deff = TRUE)
    ci <- attr(p, "ci")
    out(case, "proportion", paste0(pv[1], "=", pv[2]), by, group, coef(p)[1], SE(m)[1], ci[1], ci[2], deff(m)[1], degf(di))
  }
}

for (case in names(designs)) {
  des <- designs[[case]]
  options(survey.lonely.psu = if (case %in% names(lonely)) lonely[[case]] else "fail")
  emit(case, des)
  if (case %in% c("dstrat_cname_remove")) next
  for (by in c("stype", "awards")) {
    for (g in sort(unique(des$variables[[by]]))) {
      sub <- des[des$variables[[by]] == g, ]
      emit(case, sub, by, g)
    }
  }
}
