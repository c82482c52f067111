# The reference implementation of the MR estimators IMATKit is checked against, in base R: TwoSampleMR 0.7.9's
# and MendelianRandomization 0.10.0's formulas re-implemented from their R sources (not loaded: neither is
# packaged for Debian). Sourced by scripts/make_mr_fixtures.R (the test fixtures) and
# Benchmarks/mr_speed_reference.R (the R-style timing).

complement <- function(a) chartr("ACGT", "TGCA", a)

# ---------------------------------------------------------------------------------------------------------
# Reading and harmonisation: TwoSampleMR's format_data and harmonise_data (action = 2), for SNPs with both
# alleles in both files.

# A summary-statistics file (comma-separated if named .csv, else tab-separated) whose columns are, in this order,
# SNP, effect allele, other allele, EAF, beta, SE, p, sample size (the fixtures' and imat mr-simulate's layout).
read_side <- function(path) {
  d <- if (grepl("\\.csv$", path)) read.csv(path, colClasses = "character")
       else read.delim(path, colClasses = "character", na.strings = "")
  names(d) <- c("SNP", "effect_allele", "other_allele", "eaf", "beta", "se", "pval", "samplesize")
  d
}

num <- function(x) suppressWarnings(as.numeric(ifelse(x %in% c("", "NA"), NA, x)))

format_side <- function(d) {
  d$SNP <- gsub("[[:space:]]", "", tolower(d$SNP))
  d$line <- seq_len(nrow(d)) + 1
  d <- d[!duplicated(d$SNP), ]                          # the first row of a SNP is kept
  d$beta <- num(d$beta); d$se <- num(d$se); d$eaf <- num(d$eaf); d$pval <- num(d$pval)
  d$samplesize <- num(d$samplesize)
  d$eaf[!is.na(d$eaf) & (d$eaf <= 0 | d$eaf >= 1)] <- NA
  d$effect_allele <- toupper(d$effect_allele); d$other_allele <- toupper(d$other_allele)
  d
}

harmonise_pair <- function(e, o, threshold) {
  e <- e[e$pval < threshold, ]
  m <- merge(e, o, by = "SNP", suffixes = c(".exposure", ".outcome"))
  m <- m[order(m$SNP), ]
  A1 <- m$effect_allele.exposure; A2 <- m$other_allele.exposure
  B1 <- m$effect_allele.outcome; B2 <- m$other_allele.outcome
  bB <- m$beta.outcome; fA <- m$eaf.exposure; fB <- m$eaf.outcome
  # Swapped alleles.
  swap <- A1 == B2 & A2 == B1
  B1[swap] <- m$other_allele.outcome[swap]; B2[swap] <- m$effect_allele.outcome[swap]
  bB[swap] <- -bB[swap]; fB[swap] <- 1 - fB[swap]
  same <- A1 == B1 & A2 == B2
  palindromic <- (A1 == "A" & A2 == "T") | (A1 == "T" & A2 == "A") | (A1 == "G" & A2 == "C") | (A1 == "C" & A2 == "G")
  # Strand flips of SNPs that are not palindromic, then swaps again.
  f <- !palindromic & !same
  B1[f] <- complement(B1[f]); B2[f] <- complement(B2[f])
  same <- A1 == B1 & A2 == B2
  swap <- !palindromic & !same & A1 == B2 & A2 == B1
  t <- B1[swap]; B1[swap] <- B2[swap]; B2[swap] <- t
  bB[swap] <- -bB[swap]; fB[swap] <- 1 - fB[swap]
  remove <- !(A1 == B1 & A2 == B2)
  # Palindromic SNPs: frequencies decide, intermediate ones are ambiguous (missing counts as 0.5).
  tol <- 0.08
  tA <- ifelse(is.na(fA), 0.5, fA); tB <- ifelse(is.na(fB), 0.5, fB)
  ambiguous <- palindromic & ((tA > 0.5 - tol & tA < 0.5 + tol) | (tB > 0.5 - tol & tB < 0.5 + tol))
  turn <- palindromic & !remove & ((tA < 0.5 & tB > 0.5) | (tA > 0.5 & tB < 0.5))
  bB[turn] <- -bB[turn]
  keep <- !remove & !ambiguous & complete.cases(m$beta.exposure, m$se.exposure, bB, m$se.outcome)
  reasons <- ifelse(remove, "incompatible alleles", ifelse(ambiguous, "palindromic with intermediate allele frequency", "missing value"))
  list(dat = data.frame(SNP = m$SNP, bx = m$beta.exposure, sx = m$se.exposure, by = bB, sy = m$se.outcome,
                        px = m$pval.exposure, py = m$pval.outcome, nx = m$samplesize.exposure,
                        ny = m$samplesize.outcome)[keep, ],
       dropped = data.frame(SNP = m$SNP[!keep], reason = reasons[!keep]),
       absent = sort(setdiff(e$SNP, o$SNP)))
}

# ---------------------------------------------------------------------------------------------------------
# Estimators (TwoSampleMR unless marked MR for MendelianRandomization).

z975 <- qnorm(0.975)
est <- function(b, se, p, n) list(b = b, se = se, ci_low = b - z975 * se, ci_high = b + z975 * se, p = p, n_snps = n)

ivw <- function(bx, by, sy, random = TRUE) {
  s <- summary(lm(by ~ -1 + bx, weights = 1 / sy^2))
  b <- s$coef["bx", "Estimate"]
  se <- if (random) s$coef["bx", "Std. Error"] / min(1, s$sigma) else s$coef["bx", "Std. Error"] / s$sigma
  c(est(b, se, 2 * pnorm(abs(b / se), lower.tail = FALSE), length(bx)),
    list(Q = s$sigma^2 * (length(bx) - 1), sigma = s$sigma))
}

egger <- function(bx, by, sy, tdist = TRUE) {
  sgn <- ifelse(bx == 0, 1, sign(bx)); y <- by * sgn; x <- abs(bx)
  s <- summary(lm(y ~ x, weights = 1 / sy^2))
  k <- length(bx)
  b <- s$coef[2, 1]; se <- s$coef[2, 2] / min(1, s$sigma)
  bi <- s$coef[1, 1]; sei <- s$coef[1, 2] / min(1, s$sigma)
  pf <- function(z) if (tdist) 2 * pt(abs(z), k - 2, lower.tail = FALSE) else 2 * pnorm(abs(z), lower.tail = FALSE)
  c(est(b, se, pf(b / se), k), list(intercept = list(b = bi, se = sei, p = pf(bi / sei)), Q = s$sigma^2 * (k - 2)))
}

weighted_median <- function(b, w) {
  o <- order(b); b <- b[o]; w <- w[o]
  cs <- (cumsum(w) - 0.5 * w) / sum(w)
  below <- max(which(cs < 0.5))
  b[below] + (b[below + 1] - b[below]) * (0.5 - cs[below]) / (cs[below + 1] - cs[below])
}

medians <- function(bx, by, sx, sy, first_order) {
  ratio <- by / bx
  w <- if (first_order) (bx / sy)^2 else 1 / (sy^2 / bx^2 + by^2 * sx^2 / bx^4)
  wm <- weighted_median(ratio, w)
  pen <- w * pmin(1, 20 * pchisq(w * (ratio - wm)^2, 1, lower.tail = FALSE))
  list(simple = weighted_median(ratio, rep(1 / length(bx), length(bx))), weighted = wm,
       penalised = weighted_median(ratio, pen))
}

# R's density() as of R 4.4 (old.coords = FALSE: kernel evaluated at the bins' own spacing), written out
# from its source so that this R 4.2 can run it; with old.coords = TRUE it must equal this R's density().
density_grid <- function(x, w, bw, old.coords) {
  n <- 512
  from <- min(x) - 3 * bw; to <- max(x) + 3 * bw
  lo <- from - 4 * bw; up <- to + 4 * bw
  y <- .Call(stats:::C_BinDist, x, w, lo, up, n)
  kords <- seq.int(0, (if (old.coords) 2 else (2L * n - 1) / (n - 1)) * (up - lo), length.out = 2L * n)
  kords[(n + 2):(2 * n)] <- -kords[n:2]
  kords <- dnorm(kords, sd = bw)
  kords <- fft(fft(y) * Conj(fft(kords)), inverse = TRUE)
  kords <- pmax.int(0, Re(kords)[1L:n] / length(y))
  xords <- seq.int(lo, up, length.out = n)
  xs <- seq.int(from, to, length.out = n)
  list(x = xs, y = approx(xords, kords, xs)$y)
}

mode_estimate <- function(ratio, se, floor_bw, old.coords) {
  s <- 0.9 * min(sd(ratio), mad(ratio)) / length(ratio)^(1 / 5)
  h <- if (floor_bw) max(1e-8, s) else s
  w <- se^-2 / sum(se^-2)
  d <- density_grid(ratio, w, h, old.coords)
  if (old.coords) {
    r <- suppressWarnings(density(ratio, weights = w, bw = h))
    stopifnot(identical(r$x, d$x), max(abs(r$y - d$y)) == 0)
  }
  list(estimate = d$x[which.max(d$y)], index = which.max(d$y) - 1, bandwidth = h)
}

modes <- function(bx, by, sx, sy, floor_bw) {
  ratio <- by / bx
  se2 <- sqrt(sy^2 / bx^2 + by^2 * sx^2 / bx^4)
  ones <- rep(1, length(ratio))
  list(simple = mode_estimate(ratio, ones, floor_bw, FALSE), weighted = mode_estimate(ratio, se2, floor_bw, FALSE),
       simple_r42 = mode_estimate(ratio, ones, floor_bw, TRUE), weighted_r42 = mode_estimate(ratio, se2, floor_bw, TRUE))
}

# Maximum likelihood: what TwoSampleMR's mr_two_sample_ml returns (Nelder-Mead over K + 1 parameters), and
# the exact optimum from the profile likelihood Q(theta) = sum (by - theta bx)^2 / (sy^2 + theta^2 sx^2),
# minimised over a fine bracket and polished with Newton steps on its derivative.
ml <- function(bx, by, sx, sy) {
  k <- length(bx)
  f <- function(p) 0.5 * sum((bx - p[1:k])^2 / sx^2) + 0.5 * sum((by - p[k + 1] * p[1:k])^2 / sy^2)
  start <- c(bx, sum(bx * by / sy^2) / sum(bx^2 / sy^2))
  opt <- optim(start, f, hessian = TRUE, control = list(maxit = 25000))
  nm <- list(b = opt$par[k + 1], se = sqrt(solve(opt$hessian)[k + 1, k + 1]), Q = 2 * opt$value,
             counts = unname(opt$counts[1]), convergence = opt$convergence)
  Q <- function(t) sum((by - t * bx)^2 / (sy^2 + t^2 * sx^2))
  grid <- sort(c(tan(seq(-1.5, 1.5, length.out = 2001)), by / bx, start[k + 1]))
  vals <- vapply(grid, Q, 0)
  i <- which.min(vals)
  t <- optimize(Q, c(grid[max(1, i - 1)], grid[min(length(grid), i + 1)]), tol = 1e-14)$minimum
  for (step in 1:50) {
    v <- sy^2 + t^2 * sx^2; r <- by - t * bx
    g <- sum(-2 * bx * r / v - 2 * t * sx^2 * r^2 / v^2)
    hh <- sum(2 * bx^2 / v + 8 * t * sx^2 * bx * r / v^2 - 2 * sx^2 * r^2 / v^2 + 8 * t^2 * sx^4 * r^2 / v^3)
    t <- t - g / hh
    if (abs(g / hh) < 1e-16 * max(1, abs(t))) break
  }
  xi <- (bx / sx^2 + t * by / sy^2) / (1 / sx^2 + t^2 / sy^2)
  d <- 1 / sx^2 + t^2 / sy^2
  c <- (2 * t * xi - by) / sy^2
  hth <- sum(xi^2 / sy^2)
  se <- sqrt(1 / (hth - sum(c^2 / d)))
  list(nelder_mead = nm, exact = list(b = t, se = se, Q = Q(t)))
}

steiger <- function(bx, sx, nx, by, sy, ny) {
  r2 <- function(b, s, n) { f <- (b / s)^2; f / (n - 2 + f) }
  rx <- sqrt(sum(r2(bx, sx, nx))); ry <- sqrt(sum(r2(by, sy, ny)))
  z <- (atanh(rx) - atanh(ry)) / sqrt(1 / (mean(nx) - 3) + 1 / (mean(ny) - 3))
  list(r2_exposure = rx^2, r2_outcome = ry^2, correct_direction = rx > ry, z = z, p = 2 * pnorm(-abs(z)))
}

isq <- function(y, s) {
  w <- 1 / s^2; mu <- sum(y * w) / sum(w); Q <- sum(w * (y - mu)^2)
  max(0, (Q - (length(y) - 1)) / Q)
}

analyse <- function(d) {
  bx <- d$bx; by <- d$by; sx <- d$sx; sy <- d$sy; k <- length(bx)
  out <- list(snps = d$SNP)
  out$wald <- lapply(seq_len(k), function(j) {
    b <- by[j] / bx[j]; se <- sy[j] / abs(bx[j])
    est(b, se, 2 * pnorm(abs(b) / se, lower.tail = FALSE), 1)
  })
  out$f_statistics <- (bx / sx)^2
  if (k >= 2) {
    out$ivw <- ivw(bx, by, sy); out$ivw_fixed <- ivw(bx, by, sy, random = FALSE)
    out$ml <- ml(bx, by, sx, sy)
    out$steiger <- steiger(bx, sx, d$nx, by, sy, d$ny)
  }
  if (k >= 3) {
    out$egger <- egger(bx, by, sy); out$egger_normal <- egger(bx, by, sy, tdist = FALSE)
    out$medians_second_order <- medians(bx, by, sx, sy, FALSE)
    out$medians_first_order <- medians(bx, by, sx, sy, TRUE)
    out$modes <- modes(bx, by, sx, sy, TRUE)
    out$modes_unfloored <- modes(bx, by, sx, sy, FALSE)
    out$isq_twosamplemr <- isq(abs(bx), sx)
    out$isq_mendelianrandomization <- isq(abs(bx) / sy, sx / sy)
    out$leave_one_out <- lapply(seq_len(k), function(j) ivw(bx[-j], by[-j], sy[-j]))
    Qd <- max(0, out$ivw$Q - out$egger$Q)
    out$q_diff <- list(Q = Qd, p = pchisq(Qd, 1, lower.tail = FALSE))
    out$q_p <- list(ivw = pchisq(out$ivw$Q, k - 1, lower.tail = FALSE), egger = pchisq(out$egger$Q, k - 2, lower.tail = FALSE))
  }
  out
}

# ---------------------------------------------------------------------------------------------------------
# JSON by hand (base R has no writer): numbers with 17 significant digits.

to_json <- function(x, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.null(x)) return("null")
  if (is.list(x) && !is.null(names(x))) {
    items <- vapply(names(x), function(n) paste0(inner, "\"", n, "\": ", to_json(x[[n]], inner)), "")
    return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
  }
  if (is.list(x) || length(x) != 1 || is.data.frame(x)) {
    if (is.data.frame(x)) x <- lapply(seq_len(nrow(x)), function(i) as.list(x[i, , drop = FALSE]))
    if (length(x) == 0) return("[]")
    items <- vapply(seq_along(x), function(i) paste0(inner, to_json(if (is.list(x)) x[[i]] else x[i], inner)), "")
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", indent, "]"))
  }
  if (is.character(x)) return(paste0("\"", gsub("\"", "\\\\\"", x), "\""))
  if (is.logical(x)) return(if (is.na(x)) "null" else if (x) "true" else "false")
  if (is.na(x) || !is.finite(x)) return("null")
  sprintf("%.17g", x)
}

