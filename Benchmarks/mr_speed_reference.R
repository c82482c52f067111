# The R-style workflow `imat mr` is timed against: for each pair of a manifest (as imat mr-simulate writes it),
# what TwoSampleMR 0.7.9's mr() with every method imat mr reports, mr_heterogeneity, mr_leaveoneout and
# mr_singlesnp compute, in the way TwoSampleMR computes it (lm fits, 1000-replicate bootstraps of the medians,
# mr_mode's bootstrap of all five mode variants behind each of mr_simple_mode and mr_weighted_mode, optim's
# Nelder-Mead for maximum likelihood). Base R; the formulas come from scripts/mr_reference.R.
# Usage: Rscript Benchmarks/mr_speed_reference.R MANIFEST PAIRS [P_THRESHOLD]   (from the repository root)
args <- commandArgs(trailingOnly = TRUE)
source(file.path("scripts", "mr_reference.R"))
manifest <- read.csv(args[1], colClasses = "character")
pairs <- as.integer(args[2])
threshold <- if (length(args) > 2) as.numeric(args[3]) else 5e-8
nboot <- 1000
folder <- dirname(args[1])

weighted_median_bootstrap <- function(bx, by, sx, sy, w) {
  k <- length(bx)
  bxs <- matrix(rnorm(nboot * k, rep(bx, each = nboot), rep(sx, each = nboot)), nboot, k)
  bys <- matrix(rnorm(nboot * k, rep(by, each = nboot), rep(sy, each = nboot)), nboot, k)
  sd(vapply(seq_len(nboot), function(i) weighted_median(bys[i, ] / bxs[i, ], w), 0))
}

mode_point <- function(ratio, se) {
  s <- 0.9 * min(sd(ratio), mad(ratio)) / length(ratio)^(1 / 5)
  w <- se^-2 / sum(se^-2)
  d <- density(ratio, weights = w, bw = max(1e-8, s))
  d$x[which.max(d$y)]
}

# mr_mode: the five variants' points and 1000 replicates of all five (what each of mr_simple_mode and
# mr_weighted_mode runs).
mr_mode_all <- function(bx, by, sx, sy) {
  ratio <- by / bx
  se <- sqrt(sy^2 / bx^2 + by^2 * sx^2 / bx^4); nome <- sy / abs(bx); ones <- rep(1, length(ratio))
  points <- c(mode_point(ratio, ones), mode_point(ratio, se), mode_point(ratio, nome))
  k <- length(ratio)
  draws <- matrix(rnorm(nboot * k, rep(ratio, each = nboot), rep(se, each = nboot)), nboot, k)
  draws_nome <- matrix(rnorm(nboot * k, rep(ratio, each = nboot), rep(nome, each = nboot)), nboot, k)
  boot <- t(vapply(seq_len(nboot), function(i) {
    b <- draws[i, ]; wm <- mode_point(b, se)
    pen <- (1 / se^2) * pmin(1, 20 * pchisq((b - wm)^2 / se^2, 1, lower.tail = FALSE))
    c(mode_point(b, ones), wm, mode_point(b, sqrt(1 / pen)), mode_point(draws_nome[i, ], ones), mode_point(draws_nome[i, ], nome))
  }, numeric(5)))
  list(points = points, se = apply(boot, 2, mad))
}

analyse_pair <- function(exposure, outcome) {
  h <- harmonise_pair(format_side(read_side(exposure)), format_side(read_side(outcome)), threshold)
  d <- h$dat; bx <- d$bx; by <- d$by; sx <- d$sx; sy <- d$sy
  out <- analyse(d)   # IVW, IVW fixed, Egger, medians' points, modes' points, ML (Nelder-Mead and exact), Steiger, leave-one-out
  r <- by / bx
  w2 <- 1 / (sy^2 / bx^2 + by^2 * sx^2 / bx^4)
  out$se_simple_median <- weighted_median_bootstrap(bx, by, sx, sy, rep(1 / length(bx), length(bx)))
  out$se_weighted_median <- weighted_median_bootstrap(bx, by, sx, sy, w2)
  pen <- w2 * pmin(1, 20 * pchisq(w2 * (r - weighted_median(r, w2))^2, 1, lower.tail = FALSE))
  # mr_penalised_weighted_median calls mr_weighted_median (and its bootstrap) again first.
  out$se_penalised <- c(weighted_median_bootstrap(bx, by, sx, sy, w2), weighted_median_bootstrap(bx, by, sx, sy, pen))[2]
  out$simple_mode <- mr_mode_all(bx, by, sx, sy)
  out$weighted_mode <- mr_mode_all(bx, by, sx, sy)
  out
}

set.seed(1)
seconds <- system.time(for (i in seq_len(pairs)) {
  analyse_pair(file.path(folder, manifest$exposure[i]), file.path(folder, manifest$outcome[i]))
})[["elapsed"]]
cat(sprintf("R (%s): %d pairs in %.1f s, %.2f s per pair\n", R.version.string, pairs, seconds, seconds / pairs))
