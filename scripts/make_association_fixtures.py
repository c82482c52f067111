#!/usr/bin/env python3
"""Builds the association test fixtures: a synthetic cohort and the regressions IMATKit must reproduce.

1. Draws (numpy default_rng, fixed seed) a cohort resembling the NAKO back-pain study and writes it the way
   IMATKit's tools do: cohort.csv (`imat merge` columns, three rows per participant: autochthon_left,
   autochthon_right, total; numbers "%.9g") and phenotypes.csv (one row per participant). About 30
   phenotype participants have no cohort rows, about 25 cohort participants no phenotype row, and 40
   phenotype rows miss one value (an empty field or the text NA). small/ holds the first 300 participants.
2. Reads the files back as text (as IMATKit would), builds each case's design matrix and fits it:
   logistic and linear models with statsmodels, the logistic model with a random intercept per site with
   R's lme4 (scripts/association_reference.R, run with Rscript), and that model's exact Laplace optimum
   again (scripts/random_intercept_laplace.py), because lme4's own estimates and SEs carry errors of about
   1e-5 and 1e-3 (see Tests/AssociationTests/Fixtures/README.md).
3. Writes expected.json: per case the counts, every term's estimate, SE, 95% CI, p (and odds ratios),
   the log-likelihood and the likelihood-ratio test of the exposure; numbers in full double precision.

Conventions (the ones IMATKit implements):
- Rows of the case's muscle from cohort.csv, inner-joined with phenotypes.csv on participant; complete
  cases over outcome, exposure, covariates and group ("" and "NA" are missing).
- Exposure per "2sd": (x - mean) / (2 sd), per "sd": (x - mean) / sd, per "unit": x; mean and sample SD
  (ddof 1) over the complete cases.
- Columns: (Intercept), exposure, covariates in the order given; a categorical covariate gives one
  column "name=level" per level other than the reference, levels in codepoint order, the reference the
  first level unless given as "name:level".
- dropped = participants in either file (for that muscle) left out of the complete cases:
  not_in_phenotypes + not_in_cohort + missing, where a row missing several values counts under its
  first missing column in the order outcome, exposure, covariates, group (only nonzero counts listed).

Needs: pip install numpy pandas scipy statsmodels; apt-get install r-base-core r-cran-lme4
(r-cran-lme4 brings minqa, nloptr, numDeriv and jsonlite). Run from anywhere:
    python3 scripts/make_association_fixtures.py
"""
import json
import math
import platform
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats

from random_intercept_laplace import RandomInterceptLogit, lme4_hessian

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "AssociationTests" / "Fixtures"
R_SCRIPT = Path(__file__).resolve().parent / "association_reference.R"

SEED = 20250611
PHENOTYPED = 2000          # participants in phenotypes.csv
PHENOTYPE_ONLY = 30        # of those, without cohort rows
COHORT_ONLY = 25           # cohort participants without a phenotype row
MISSING_ROWS = 40          # phenotype rows with one missing value
SMALL = 300                # participants (lowest IDs) in small/
SITES = [f"site{i:02d}" for i in range(1, 11)]
SITE_WEIGHTS = np.array([18, 14, 12, 11, 10, 9, 8, 7, 6, 5], dtype=float)
MISSABLE = ["age", "activity_group", "chronic_back_pain", "pain_score", "site"]

COHORT_HEADER = ["participant", "muscle", "label", "volume_ml", "lean_ml", "fat_ml", "undefined_ml",
                 "imat_fraction", "fat_fraction_mean", "method", "source"]
PHENOTYPE_HEADER = ["participant", "chronic_back_pain", "pain_score", "age", "sex", "activity_group",
                    "diabetes", "site"]
MISSING_TOKENS = {"", "NA"}

CASES = [
    dict(name="logistic_2sd", model="logistic", outcome="chronic_back_pain", exposure="imat_fraction",
         muscle="total", covariates=["age", "sex", "activity_group", "diabetes"],
         categorical=["sex", "activity_group"], per="2sd", group=None),
    dict(name="logistic_unit_ref", model="logistic", outcome="chronic_back_pain", exposure="imat_fraction",
         muscle="autochthon_left", covariates=["age", "sex", "activity_group", "diabetes"],
         categorical=["sex", "activity_group:moderate"], per="unit", group=None),
    dict(name="logistic_sd_lean", model="logistic", outcome="chronic_back_pain", exposure="lean_ml",
         muscle="total", covariates=["age", "sex"], categorical=["sex"], per="sd", group=None),
    dict(name="linear_2sd", model="linear", outcome="pain_score", exposure="imat_fraction",
         muscle="total", covariates=["age", "sex", "activity_group"],
         categorical=["sex", "activity_group"], per="2sd", group=None),
    dict(name="mixed_2sd", model="mixed", outcome="chronic_back_pain", exposure="imat_fraction",
         muscle="total", covariates=["age", "sex", "activity_group", "diabetes"],
         categorical=["sex", "activity_group"], per="2sd", group="site"),
    dict(name="mixed_small", model="mixed", outcome="chronic_back_pain", exposure="imat_fraction",
         muscle="total", covariates=["age", "sex"], categorical=["sex"], per="sd", group="site",
         small=True),
]


def expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def g9(x):
    text = "%.9g" % x
    return "0" if text == "-0" else text


def simulate(rng):
    """Every participant's traits, muscle composition and outcomes (before any value is withheld)."""
    total = PHENOTYPED + COHORT_ONLY
    ids = np.array([f"P{i:05d}" for i in range(1, total + 1)])
    age = rng.integers(40, 76, size=total)
    female = rng.random(total) < 0.52
    activity = rng.choice(np.array(["low", "moderate", "high"]), size=total, p=[0.3, 0.45, 0.25])
    diabetes = (rng.random(total) < expit(-2.6 + 0.05 * (age - 57.5))).astype(int)
    site_index = rng.choice(len(SITES), size=total, p=SITE_WEIGHTS / SITE_WEIGHTS.sum())

    # IMAT rises with age, is higher in women and in the inactive; the two sides share most of it.
    latent = (-2.55 + 0.025 * (age - 57.5) + 0.25 * female + 0.2 * (activity == "low")
              - 0.1 * (activity == "high") + rng.normal(0, 0.4, total))
    size = 300 * np.where(female, 0.85, 1.12) * np.exp(rng.normal(0, 0.12, total))
    sides = {}
    for muscle, label in (("autochthon_left", "44"), ("autochthon_right", "45")):
        volume = size * np.exp(rng.normal(0, 0.04, total))
        fraction = expit(latent + rng.normal(0, 0.15, total))
        fat = fraction * volume
        sides[muscle] = dict(label=label, volume=volume, fat=fat, lean=volume - fat, fraction=fat / volume,
                             fat_fraction_mean=fraction + 0.02 + np.abs(rng.normal(0, 0.01, total)))
    volume = sides["autochthon_left"]["volume"] + sides["autochthon_right"]["volume"]
    fat = sides["autochthon_left"]["fat"] + sides["autochthon_right"]["fat"]
    ffm = sum(s["fat_fraction_mean"] * s["volume"] for s in sides.values()) / volume
    sides["total"] = dict(label="", volume=volume, fat=fat, lean=volume - fat, fraction=fat / volume,
                          fat_fraction_mean=ffm)

    fraction = sides["total"]["fraction"]
    per_2sd = (fraction - fraction.mean()) / (2 * fraction.std(ddof=1))
    site_effect = rng.normal(0, 0.5, len(SITES))[site_index]
    shared = (0.015 * (age - 57.5) + 0.25 * female + 0.35 * (activity == "low") + 0.15 * (activity == "high")
              + 0.3 * diabetes)
    pain = (rng.random(total) < expit(-1.2 + 0.2 * per_2sd + shared + site_effect)).astype(int)
    pain_score = np.clip(3.0 + 0.4 * per_2sd + 1.2 * shared + 0.6 * site_effect + rng.normal(0, 1.6, total),
                         0, 10)
    phenotypes = pd.DataFrame({
        "participant": ids, "chronic_back_pain": pain.astype(str),
        "pain_score": ["%.6f" % v for v in pain_score], "age": age.astype(str),
        "sex": np.where(female, "female", "male"), "activity_group": activity,
        "diabetes": diabetes.astype(str), "site": np.array(SITES)[site_index]})
    return ids, sides, phenotypes


def write_csv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")


def make_data(rng):
    """Writes cohort.csv, phenotypes.csv and small/; returns the participants withheld from each file."""
    ids, sides, phenotypes = simulate(rng)
    order = rng.permutation(len(ids))
    cohort_only = set(ids[order[:COHORT_ONLY]])
    phenotype_only = set(ids[order[COHORT_ONLY:COHORT_ONLY + PHENOTYPE_ONLY]])

    in_phenotypes = ~phenotypes["participant"].isin(cohort_only)
    phenotypes = phenotypes[in_phenotypes].reset_index(drop=True)
    holes = rng.choice(len(phenotypes), size=MISSING_ROWS, replace=False)
    for k, row in enumerate(holes):
        column = MISSABLE[k % len(MISSABLE)]
        phenotypes.loc[row, column] = "NA" if rng.random() < 0.5 else ""

    cohort_rows = []
    for i in rng.permutation(len(ids)):  # shuffled participants, so the join has work to do
        if ids[i] in phenotype_only:
            continue
        for muscle in ("autochthon_left", "autochthon_right", "total"):
            s = sides[muscle]
            cohort_rows.append([ids[i], muscle, s["label"], g9(s["volume"][i]), g9(s["lean"][i]),
                                g9(s["fat"][i]), g9(0.0), g9(s["fraction"][i]), g9(s["fat_fraction_mean"][i]),
                                "dixon", "dixon"])
    phenotype_rows = phenotypes[PHENOTYPE_HEADER].values.tolist()
    write_csv(FIXTURES / "cohort.csv", COHORT_HEADER, cohort_rows)
    write_csv(FIXTURES / "phenotypes.csv", PHENOTYPE_HEADER, phenotype_rows)

    small_ids = set(sorted(ids)[:SMALL])
    write_csv(FIXTURES / "small" / "cohort.csv", COHORT_HEADER, [r for r in cohort_rows if r[0] in small_ids])
    write_csv(FIXTURES / "small" / "phenotypes.csv", PHENOTYPE_HEADER,
              [r for r in phenotype_rows if r[0] in small_ids])


def read_text_csv(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def analysis_data(case, cohort, phenotypes):
    """The complete cases of one case, the design matrix and the bookkeeping of what was left out."""
    rows = cohort[cohort["muscle"] == case["muscle"]]
    assert rows["participant"].is_unique and phenotypes["participant"].is_unique
    in_cohort, in_phenotypes = set(rows["participant"]), set(phenotypes["participant"])
    joined = rows.merge(phenotypes, on="participant", how="inner", validate="one_to_one")

    categorical = {}
    for spec in case["categorical"]:
        name, _, reference = spec.partition(":")
        categorical[name] = reference or None
    columns = [case["outcome"], case["exposure"], *case["covariates"]] + ([case["group"]] if case["group"] else [])
    missing = {}
    complete = np.ones(len(joined), dtype=bool)
    for column in columns:
        is_missing = joined[column].isin(MISSING_TOKENS).to_numpy() & complete
        if is_missing.any():
            missing[column] = int(is_missing.sum())
        complete &= ~is_missing
    data = joined[complete].reset_index(drop=True)

    y = data[case["outcome"]].astype(float).to_numpy()
    x = data[case["exposure"]].astype(float).to_numpy()
    mean, sd = x.mean(), x.std(ddof=1)
    exposure = {"2sd": (x - mean) / (2 * sd), "sd": (x - mean) / sd, "unit": x}[case["per"]]
    names, design = ["(Intercept)", case["exposure"]], [np.ones(len(data)), exposure]
    for covariate in case["covariates"]:
        if covariate in categorical:
            levels = sorted(set(data[covariate]))
            reference = categorical[covariate] or levels[0]
            assert reference in levels, (case["name"], covariate, reference)
            for level in levels:
                if level != reference:
                    names.append(f"{covariate}={level}")
                    design.append((data[covariate] == level).astype(float).to_numpy())
        else:
            names.append(covariate)
            design.append(data[covariate].astype(float).to_numpy())
    counts = {
        "n": len(data),
        "events": None if case["model"] == "linear" else int(y.sum()),
        "dropped": len(in_phenotypes - in_cohort) + len(in_cohort - in_phenotypes) + sum(missing.values()),
        "not_in_phenotypes": len(in_cohort - in_phenotypes),
        "not_in_cohort": len(in_phenotypes - in_cohort),
        "missing": missing,
        "exposure_mean": float(mean), "exposure_sd": float(sd),
    }
    group = data[case["group"]].to_numpy() if case["group"] else None
    return y, np.column_stack(design), names, group, counts


def terms(names, beta, se, low, high, p, odds):
    out = []
    for i, name in enumerate(names):
        term = {"term": name, "beta": float(beta[i]), "se": float(se[i]), "ci_low": float(low[i]),
                "ci_high": float(high[i]), "p": float(p[i])}
        term.update({"or": math.exp(beta[i]), "or_ci_low": math.exp(low[i]), "or_ci_high": math.exp(high[i])}
                    if odds else {"or": None, "or_ci_low": None, "or_ci_high": None})
        out.append(term)
    return out


def lrt(full, reduced):
    statistic = 2 * (full - reduced)
    return {"statistic": float(statistic), "df": 1, "p": float(stats.chi2.sf(statistic, 1))}


def fit_logistic(y, X):
    fit = sm.Logit(y, X).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    score = X.T @ (y - expit(X @ fit.params))
    assert fit.mle_retvals["converged"] and np.abs(score).max() < 1e-8, np.abs(score).max()
    return fit, {"iterations": int(fit.mle_retvals["iterations"]), "max_abs_score": float(np.abs(score).max())}


def logistic(y, X, names):
    fit, info = fit_logistic(y, X)
    reduced, _ = fit_logistic(y, np.delete(X, 1, axis=1))
    ci = fit.conf_int(alpha=0.05)
    return {"terms": terms(names, fit.params, fit.bse, ci[:, 0], ci[:, 1], fit.pvalues, True),
            "loglik": float(fit.llf), "lrt": lrt(fit.llf, reduced.llf), "fit": info}


def linear(y, X, names):
    fit = sm.OLS(y, X).fit()
    reduced = sm.OLS(y, np.delete(X, 1, axis=1)).fit()
    ci = fit.conf_int(alpha=0.05)
    return {"terms": terms(names, fit.params, fit.bse, ci[:, 0], ci[:, 1], fit.pvalues, False),
            "loglik": float(fit.llf), "lrt": lrt(fit.llf, reduced.llf), "scale": float(fit.scale),
            "df_resid": float(fit.df_resid)}


def hexes(value):
    return [float.fromhex(v) for v in (value if isinstance(value, list) else [value])]


def lme4_fit(description):
    return {"optimizer": description["optimizer"], "feval": description["feval"],
            "warnings": description["warnings"], "beta": hexes(description["beta"]),
            "se": hexes(description["se"]), "group_sd": hexes(description["theta"])[0],
            "loglik": hexes(description["loglik"])[0]}


def run_lme4(y, X, group):
    with tempfile.TemporaryDirectory() as tmp:
        frame = {"y": [v.hex() for v in y], "group": group}
        for j in range(X.shape[1]):
            frame[f"x{j + 1}"] = [float(v).hex() for v in X[:, j]]
        pd.DataFrame(frame).to_csv(Path(tmp) / "input.csv", index=False)
        subprocess.run(["Rscript", str(R_SCRIPT), str(Path(tmp) / "input.csv"), "x2", str(Path(tmp) / "out.json")],
                       check=True)
        r = json.loads((Path(tmp) / "out.json").read_text())
    echo = np.column_stack([hexes(column) for column in r["x_echo"]])
    assert np.array_equal(echo, X), "the design matrix did not reach R bit for bit"
    return r


def exact_laplace(y, X, names, group, start, reduced_start):
    """The Laplace optimum lme4 approximates, to machine precision, with SEs from an accurate Hessian."""
    model = RandomInterceptLogit(y, X, group)
    params, steps = model.fit(start)
    reduced, _ = RandomInterceptLogit(y, np.delete(X, 1, axis=1), group).fit(reduced_start)
    hessian = model.hessian(params)
    # the same formula as vcov.merMod: twice the inverse Hessian of the deviance, its beta block
    se = np.sqrt(np.diag(2 * np.linalg.inv(hessian))[1:])
    beta = params[1:]
    z = stats.norm.ppf(0.975)
    loglik = -model.deviance(params) / 2
    reduced_loglik = -RandomInterceptLogit(y, np.delete(X, 1, axis=1), group).deviance(reduced) / 2
    return {
        "terms": terms(names, beta, se, beta - z * se, beta + z * se, 2 * stats.norm.sf(np.abs(beta / se)), True),
        "loglik": float(loglik), "lrt": lrt(loglik, reduced_loglik), "reduced_loglik": float(reduced_loglik),
        "group_sd": float(params[0]), "group_variance": float(params[0] ** 2),
        "newton_steps": steps, "max_abs_gradient": float(np.abs(model.gradient(params)).max()),
        "hessian": hessian.tolist(),
        # lme4's own procedure (deriv12, step 1e-4) on this accurate deviance: what its SEs would be without
        # the noise of its PIRLS stopping rule
        "se_lme4_procedure": np.sqrt(np.diag(2 * np.linalg.inv(lme4_hessian(model.deviance, params)))[1:]).tolist(),
    }


def accuracy(fit, exact):
    beta = np.array([t["beta"] for t in exact["terms"]])
    se = np.array([t["se"] for t in exact["terms"]])
    return {"max_abs_beta_difference_in_se": float((np.abs(np.array(fit["beta"]) - beta) / se).max()),
            "max_rel_se_difference": float(np.abs(np.array(fit["se"]) / se - 1).max()),
            "rel_group_sd_difference": float(abs(fit["group_sd"] / exact["group_sd"] - 1)),
            "abs_loglik_difference": float(abs(fit["loglik"] - exact["loglik"]))}


def mixed(y, X, names, group):
    r = run_lme4(y, X, group)
    fits = {name: lme4_fit(description) for name, description in r["fits"].items()}
    main, reduced = fits["bobyqa"], lme4_fit(r["reduced"])
    exact = exact_laplace(y, X, names, group, [main["group_sd"], *main["beta"]],
                          [reduced["group_sd"], *reduced["beta"]])
    return {
        "terms": terms(names, main["beta"], main["se"], hexes(r["ci_low"]), hexes(r["ci_high"]), hexes(r["p"]), True),
        "loglik": main["loglik"],
        "lrt": {"statistic": hexes(r["lrt_statistic"])[0], "df": 1, "p": hexes(r["lrt_p"])[0]},
        "group_sd": main["group_sd"], "group_variance": main["group_sd"] ** 2,
        "laplace_exact": exact,
        "lme4": {
            "reduced": reduced, "hessian": [hexes(row) for row in r["hessian"]], "gradient": hexes(r["gradient"]),
            "se_rx": hexes(r["se_rx"]), "fits": fits,
            "accuracy_vs_laplace_exact": {name: accuracy(fit, exact) for name, fit in fits.items()},
        },
    }, r["versions"]


def main():
    make_data(np.random.default_rng(SEED))
    versions = {"python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__,
                "scipy": scipy.__version__, "statsmodels": statsmodels.__version__}
    cases = []
    for case in CASES:
        folder = "small/" if case.get("small") else ""
        cohort = read_text_csv(FIXTURES / f"{folder}cohort.csv")
        phenotypes = read_text_csv(FIXTURES / f"{folder}phenotypes.csv")
        y, X, names, group, counts = analysis_data(case, cohort, phenotypes)
        if case["model"] == "logistic":
            result = logistic(y, X, names)
        elif case["model"] == "linear":
            result = linear(y, X, names)
        else:
            result, r_versions = mixed(y, X, names, group)
            versions.update(r_versions)
        entry = {key: case[key] for key in ("name", "model", "outcome", "exposure", "muscle", "covariates",
                                            "categorical", "per", "group")}
        entry.update(cohort=f"{folder}cohort.csv", phenotypes=f"{folder}phenotypes.csv", expected={**counts, **result})
        cases.append(entry)
        print(f"{case['name']}: n={counts['n']} events={counts['events']} dropped={counts['dropped']} "
              f"beta[exposure]={result['terms'][1]['beta']:.6g} loglik={result['loglik']:.10g}")
    document = {"generator": {"script": "scripts/make_association_fixtures.py", "seed": SEED, "versions": versions},
                "cases": cases}
    (FIXTURES / "expected.json").write_text(json.dumps(document, indent=1) + "\n")


if __name__ == "__main__":
    main()
