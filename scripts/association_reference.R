# Reference fit of a logistic model with a random intercept per group (lme4::glmer, Laplace, nAGQ = 1)
# for the association fixtures; called by scripts/make_association_fixtures.py, not meant to be run alone.
#
# Usage: Rscript association_reference.R INPUT.csv EXPOSURE_COLUMN OUTPUT.json
#   INPUT.csv: columns y, group, x1..xp, every number as a C99 hexadecimal float ("%a"), so the design
#   matrix reaches R bit for bit (R's decimal parser is not always correctly rounded).
#   EXPOSURE_COLUMN: the name (x2, ...) of the column the likelihood-ratio test drops.
#   OUTPUT.json: every number again as a hexadecimal float string.
#
# The fixed-effect design is passed as is (y ~ 0 + x1 + ... + xp + (1 | group)), so the terms are exactly
# the columns Python built. The reported fit uses bobyqa with tolerances far tighter than lme4's defaults
# (rhoend 2e-7, tolPwrss 1e-7); refits with Nelder_Mead, nloptwrap and the default controls show how
# well lme4 pins the optimum.
suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 3)
raw <- read.csv(args[1], colClasses = "character")
exposure <- args[2]
xs <- grep("^x[0-9]+$", names(raw), value = TRUE)
data <- data.frame(y = as.numeric(raw$y), group = factor(raw$group))
for (x in xs) data[[x]] <- as.numeric(raw[[x]])
stopifnot(!anyNA(data), exposure %in% xs)

formula_for <- function(columns) reformulate(c("0", columns, "(1 | group)"), response = "y")
full <- formula_for(xs)
reduced <- formula_for(setdiff(xs, exposure))

# tolPwrss 1e-12 is about the tightest PIRLS tolerance that still converges (1e-14 fails its check).
tight_pirls <- 1e-12
controls <- list(
  bobyqa = glmerControl(optimizer = "bobyqa", tolPwrss = tight_pirls,
                        optCtrl = list(maxfun = 1e5, rhoend = 1e-11)),
  nelder_mead = glmerControl(optimizer = "Nelder_Mead", tolPwrss = tight_pirls, nAGQ0initStep = FALSE,
                             optCtrl = list(maxfun = 1e5, FtolAbs = 1e-15, FtolRel = 1e-15, XtolRel = 1e-13,
                                            xt = rep(1e-11, length(xs) + 1))),
  nloptwrap = glmerControl(optimizer = "nloptwrap", tolPwrss = tight_pirls,
                           optCtrl = list(maxeval = 1e5, xtol_rel = 1e-14, ftol_rel = 1e-16, ftol_abs = 1e-16)),
  lme4_defaults = glmerControl()
)

fit_with <- function(formula, control) {
  seen <- character()
  fit <- withCallingHandlers(
    glmer(formula, data = data, family = binomial, nAGQ = 1, control = control),
    warning = function(w) { seen <<- c(seen, conditionMessage(w)); invokeRestart("muffleWarning") },
    message = function(m) { seen <<- c(seen, conditionMessage(m)); invokeRestart("muffleMessage") })
  list(fit = fit, warnings = seen)
}

hex <- function(x) sprintf("%a", as.numeric(x))
hex_matrix <- function(m) matrix(hex(m), nrow = nrow(m))

describe <- function(result) {
  fit <- result$fit
  list(beta = hex(fixef(fit)), se = hex(sqrt(diag(as.matrix(vcov(fit))))),
       theta = I(hex(getME(fit, "theta"))), loglik = hex(logLik(fit)),
       optimizer = fit@optinfo$optimizer, feval = fit@optinfo$feval, warnings = I(result$warnings))
}

fits <- lapply(controls, function(control) fit_with(full, control))
main <- fits$bobyqa$fit
reduced_fit <- fit_with(reduced, controls$bobyqa)

beta <- fixef(main)
se <- sqrt(diag(as.matrix(vcov(main))))
z <- qnorm(0.975)
statistic <- 2 * (as.numeric(logLik(main)) - as.numeric(logLik(reduced_fit$fit)))

out <- list(
  fits = lapply(fits, describe),
  ci_low = hex(beta - z * se), ci_high = hex(beta + z * se), p = hex(2 * pnorm(-abs(beta / se))),
  lrt_statistic = hex(statistic), lrt_p = hex(pchisq(statistic, df = 1, lower.tail = FALSE)),
  reduced = describe(reduced_fit),
  # vcov.merMod (use.hessian = TRUE when nAGQ > 0): 2 * solve(H)[beta, beta], H = this Hessian of the
  # deviance over c(theta, beta) (lme4's deriv12, central differences, step 1e-4) at the optimum.
  hessian = hex_matrix(main@optinfo$derivs$Hessian),
  gradient = hex(main@optinfo$derivs$gradient),
  se_rx = hex(sqrt(diag(as.matrix(suppressWarnings(vcov(main, use.hessian = FALSE)))))),
  x_echo = lapply(xs, function(x) hex(data[[x]])),
  versions = list(R = R.version.string, lme4 = format(packageVersion("lme4")),
                  Matrix = format(packageVersion("Matrix")), minqa = format(packageVersion("minqa")),
                  nloptr = format(packageVersion("nloptr")))
)
writeLines(toJSON(out, auto_unbox = TRUE, pretty = TRUE), args[3])
