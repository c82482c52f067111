# Builds the Mendelian randomization test fixtures: simulated GWAS summary statistics with every quirk
# harmonisation must handle, and the numbers IMATKit must reproduce, computed with base R the way
# TwoSampleMR 0.7.9 and MendelianRandomization 0.10.0 compute them (their formulas re-implemented here from
# their R sources; see Tests/MendelianRandomizationTests/Fixtures/README.md for what follows which package).
#
# Base R only (apt-get install r-base-core). Run from the repository root:
#     Rscript scripts/make_mr_fixtures.R
# Writes Tests/MendelianRandomizationTests/Fixtures/{CASE}_exposure.csv, {CASE}_outcome.tsv and expected.json.

options(digits = 17, stringsAsFactors = FALSE)
fixtures <- file.path("Tests", "MendelianRandomizationTests", "Fixtures")
dir.create(fixtures, showWarnings = FALSE, recursive = TRUE)

# ---------------------------------------------------------------------------------------------------------
# Simulation (R's own generator; IMATKit's simulator is tested separately).

simulate_case <- function(seed, k, nulls, pleiotropic, theta, scale, quirks) {
  set.seed(seed)
  total <- k + nulls
  snp <- sprintf("rs%d", sample(1e5:9e6, total))
  pairs <- rbind(c("A", "G"), c("G", "A"), c("C", "T"), c("T", "C"), c("A", "C"), c("C", "A"),
                 c("G", "T"), c("T", "G"), c("A", "T"), c("T", "A"), c("C", "G"), c("G", "C"))
  pick <- sample(nrow(pairs), total, replace = TRUE, prob = c(rep(1.1, 8), rep(0.6, 4)))
  ea <- pairs[pick, 1]; oa <- pairs[pick, 2]
  eaf <- round(runif(total, 0.03, 0.97), 4)
  nx <- 250000; ny <- 380000
  sx <- 1 / sqrt(2 * eaf * (1 - eaf) * nx) * exp(rnorm(total, 0, 0.05))
  truth <- c(scale * (rnorm(k, 0, 1) * 0.02 + sign(rnorm(k)) * 0.035), rep(0, nulls))
  bx <- truth + rnorm(total, 0, sx)
  sy <- 1 / sqrt(2 * eaf * (1 - eaf) * ny) * exp(rnorm(total, 0, 0.05))
  alpha <- c(ifelse(seq_len(k) <= pleiotropic, rnorm(k, 0.006, 0.008), 0), rep(0, nulls))
  by <- theta * truth + alpha + rnorm(total, 0, sy)
  eaf_y <- pmin(0.999, pmax(0.001, round(eaf + rnorm(total, 0, 0.01), 4)))
  px <- 2 * pnorm(-abs(bx / sx)); py <- 2 * pnorm(-abs(by / sy))
  exposure <- data.frame(SNP = snp, effect_allele = ea, other_allele = oa, eaf = sprintf("%.4f", eaf),
                         beta = sprintf("%.8g", bx), se = sprintf("%.8g", sx), pval = sprintf("%.6g", px),
                         samplesize = nx)
  outcome <- data.frame(rsid = snp, A1 = ea, A2 = oa, AF = sprintf("%.4f", eaf_y), BETA = sprintf("%.8g", by),
                        SE = sprintf("%.8g", sy), P = sprintf("%.6g", py), N = ny)
  quirks(exposure, outcome, k, ea, oa, eaf)
}

# The quirks of real files, each at known SNPs among the instruments (index < k).
main_quirks <- function(exposure, outcome, k, ea, oa, eaf) {
  palin <- which(seq_along(ea) <= k & (paste0(ea, oa) %in% c("AT", "TA", "CG", "GC")))
  plain <- which(seq_along(ea) <= k & !(paste0(ea, oa) %in% c("AT", "TA", "CG", "GC")))
  # Swapped alleles in the outcome (beta and frequency follow the other allele).
  swap <- plain[1:18]
  outcome$A1[swap] <- oa[swap]; outcome$A2[swap] <- ea[swap]
  outcome$BETA[swap] <- sprintf("%.8g", -as.numeric(outcome$BETA[swap]))
  outcome$AF[swap] <- sprintf("%.4f", 1 - as.numeric(outcome$AF[swap]))
  # Reverse strand in the outcome; the last few also swapped.
  flip <- plain[19:30]
  outcome$A1[flip] <- complement(outcome$A1[flip]); outcome$A2[flip] <- complement(outcome$A2[flip])
  both <- plain[27:30]
  tmp <- outcome$A1[both]; outcome$A1[both] <- outcome$A2[both]; outcome$A2[both] <- tmp
  outcome$BETA[both] <- sprintf("%.8g", -as.numeric(outcome$BETA[both]))
  outcome$AF[both] <- sprintf("%.4f", 1 - as.numeric(outcome$AF[both]))
  # Incompatible alleles: a third allele in the outcome.
  bad <- plain[31:33]
  outcome$A2[bad] <- vapply(bad, function(j) setdiff(c("A", "C", "G", "T"), c(ea[j], oa[j]))[1], "")
  # Palindromic SNPs: some on the reverse strand (alleles written the other way round, frequencies tell),
  # some ambiguous (frequency near one half), one with the outcome frequency missing.
  rev <- palin[1:4]
  outcome$A1[rev] <- complement(ea[rev]); outcome$A2[rev] <- complement(oa[rev])
  amb <- palin[5:7]
  exposure$eaf[amb] <- c("0.4700", "0.5600", "0.3000"); outcome$AF[amb] <- c("0.4800", "0.5500", "0.4500")
  outcome$AF[palin[8]] <- "NA"
  # Missing frequencies elsewhere change nothing for a SNP that is not palindromic.
  outcome$AF[plain[34:35]] <- c("", "NA"); exposure$eaf[plain[36]] <- "NA"
  # Lower-case alleles and upper-case IDs are read as TwoSampleMR reads them.
  outcome$A1[plain[37]] <- tolower(outcome$A1[plain[37]])
  exposure$SNP[plain[38]] <- toupper(exposure$SNP[plain[38]])
  # Not in the outcome; duplicated rows (the first kept).
  outcome <- outcome[-plain[39:41], ]
  dup <- exposure[plain[42:43], ]; dup$beta <- sprintf("%.8g", -2 * as.numeric(dup$beta))
  exposure <- rbind(exposure, dup)
  # Outcome rows in another order than the exposure's, then a later duplicate.
  outcome <- outcome[c(seq(2, nrow(outcome), 2), seq(1, nrow(outcome), 2)), ]
  odup <- outcome[outcome$rsid == exposure$SNP[plain[44]], ]; odup$BETA <- "0.5"
  outcome <- rbind(outcome, odup)
  list(exposure = exposure, outcome = outcome)
}

no_quirks <- function(exposure, outcome, k, ea, oa, eaf) list(exposure = exposure, outcome = outcome)

write_inputs <- function(name, files) {
  write.csv(files$exposure, file.path(fixtures, paste0(name, "_exposure.csv")), row.names = FALSE)
  write.table(files$outcome, file.path(fixtures, paste0(name, "_outcome.tsv")), sep = "\t", quote = FALSE,
              row.names = FALSE)
}

source(file.path("scripts", "mr_reference.R"))

cases <- list(
  main = list(seed = 20261130, k = 130, nulls = 60, pleiotropic = 25, theta = 0.3, scale = 1, quirks = main_quirks),
  three = list(seed = 7, k = 3, nulls = 2, pleiotropic = 0, theta = -0.2, scale = 4, quirks = no_quirks),
  two = list(seed = 11, k = 2, nulls = 1, pleiotropic = 0, theta = 0.5, scale = 4, quirks = no_quirks)
)
threshold <- 5e-8
expected <- list(generator = list(script = "scripts/make_mr_fixtures.R", r = R.version.string,
                                  p_threshold = threshold,
                                  packages_mirrored = "TwoSampleMR 0.7.9 (MRCIEU/TwoSampleMR c14776b), MendelianRandomization 0.10.0 (CRAN)"),
                 cases = list())
for (name in names(cases)) {
  c <- cases[[name]]
  files <- simulate_case(c$seed, c$k, c$nulls, c$pleiotropic, c$theta, c$scale, c$quirks)
  write_inputs(name, files)
  h <- harmonise_pair(format_side(read_side(file.path(fixtures, paste0(name, "_exposure.csv")))),
                      format_side(read_side(file.path(fixtures, paste0(name, "_outcome.tsv")))), threshold)
  res <- analyse(h$dat)
  res$dropped <- h$dropped
  res$absent_from_outcome <- h$absent
  expected$cases[[name]] <- res
  message(name, ": ", nrow(h$dat), " SNPs used, ", nrow(h$dropped), " dropped in harmonisation, ",
          length(h$absent), " not in the outcome")
}
# The modes' density grid on 300 more sets of ratios (3 to 200 SNPs, a fifth contaminated by wide outliers,
# equal or unequal weights): the grid point of the highest density, as R 4.4 finds it and as this R 4.2 does.
set.seed(99)
expected$mode_grid <- lapply(1:300, function(i) {
  k <- sample(c(3:10, 20, 50, 100, 200), 1)
  ratio <- rnorm(k, 0.3, 0.1) + ifelse(runif(k) < 0.2, rnorm(k, 0, 1), 0)
  se <- if (i %% 2 == 0) rep(1, k) else exp(rnorm(k, log(0.05), 0.7))
  m <- mode_estimate(ratio, se, TRUE, FALSE)
  list(ratio = ratio, se = se, estimate = m$estimate, index = m$index, estimate_r42 = mode_estimate(ratio, se, TRUE, TRUE)$estimate)
})
writeLines(to_json(expected), file.path(fixtures, "expected.json"))
