#!/usr/bin/env python3
"""Speed reference for the association analysis: statsmodels' logistic regression on a NAKO-sized cohort.

Writes (fixed seed) FOLDER/cohort.csv and FOLDER/phenotypes.csv in the formats of
Tests/AssociationTests/Fixtures (30,000 participants by default, a few missing values and unmatched
participants) and FOLDER/case.json, the analysis in the fixtures' case format: chronic_back_pain on
imat_fraction (total, per 2 SD) adjusted for age, sex, activity (3 levels), diabetes, dyslipidemia,
osteoporosis, osteoarthritis, bmi and smoker: 12 design columns with the intercept. Then times, over
--repeats runs, best and median seconds of
  fit:              statsmodels Logit(y, X).fit(method="newton", tol=1e-12) on the prepared arrays;
  design_and_fit:   the complete-case join, exposure scaling and indicator columns from the loaded
                    DataFrames (make_association_fixtures.analysis_data), then the fit;
  read_design_fit:  reading both CSV files as text as well,
and prints JSON with the timings, the sample sizes and the coefficients (to check another implementation
got the same fit).

Needs: pip install numpy pandas scipy statsmodels.
Usage: python3 Benchmarks/association_speed.py FOLDER [--participants 30000] [--repeats 20] [--seed 7]
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from make_association_fixtures import COHORT_HEADER, analysis_data, expit, g9, read_text_csv, write_csv  # noqa: E402

CASE = dict(name="speed_logistic_12", model="logistic", outcome="chronic_back_pain", exposure="imat_fraction",
            muscle="total", covariates=["age", "sex", "activity_group", "diabetes", "dyslipidemia", "osteoporosis",
                                        "osteoarthritis", "bmi", "smoker"],
            categorical=["sex", "activity_group"], per="2sd", group=None)
PHENOTYPE_HEADER = ["participant", "chronic_back_pain", "age", "sex", "activity_group", "diabetes", "dyslipidemia",
                    "osteoporosis", "osteoarthritis", "bmi", "smoker"]


def write_cohort(folder, participants, rng):
    n = participants + participants // 100  # 1% more IDs: some only in one of the two files
    ids = np.array([f"P{i:06d}" for i in range(1, n + 1)])
    age = rng.integers(40, 76, n)
    female = rng.random(n) < 0.52
    activity = rng.choice(np.array(["low", "moderate", "high"]), n, p=[0.3, 0.45, 0.25])
    bmi = rng.normal(27, 4.5, n)
    flags = {name: (rng.random(n) < expit(base + 0.04 * (age - 57.5))).astype(int)
             for name, base in (("diabetes", -2.4), ("dyslipidemia", -1.0), ("osteoporosis", -2.8),
                                ("osteoarthritis", -1.6), ("smoker", -1.3))}
    latent = -2.55 + 0.025 * (age - 57.5) + 0.25 * female + 0.03 * (bmi - 27) + rng.normal(0, 0.4, n)
    size = 300 * np.where(female, 0.85, 1.12) * np.exp(rng.normal(0, 0.12, n))
    left, right = (size * np.exp(rng.normal(0, 0.04, n)) for _ in range(2))
    f_left, f_right = (expit(latent + rng.normal(0, 0.15, n)) for _ in range(2))
    total_fraction = (f_left * left + f_right * right) / (left + right)
    z = (total_fraction - total_fraction.mean()) / (2 * total_fraction.std(ddof=1))
    logit = (-1.2 + 0.2 * z + 0.015 * (age - 57.5) + 0.25 * female + 0.35 * (activity == "low")
             + 0.15 * (activity == "high") + 0.3 * flags["diabetes"] + 0.1 * flags["osteoarthritis"]
             + 0.2 * flags["smoker"] + 0.02 * (bmi - 27))
    pain = (rng.random(n) < expit(logit)).astype(int)

    order = rng.permutation(n)
    cohort_ids, phenotype_ids = set(ids[order[: participants]]), set(ids[order[n - participants:]])
    rows = []
    for i in rng.permutation(n):
        if ids[i] not in cohort_ids:
            continue
        for muscle, label, volume, fraction in (("autochthon_left", "44", left[i], f_left[i]),
                                                ("autochthon_right", "45", right[i], f_right[i]),
                                                ("total", "", left[i] + right[i], total_fraction[i])):
            fat = fraction * volume
            rows.append([ids[i], muscle, label, g9(volume), g9(volume - fat), g9(fat), "0", g9(fraction),
                         g9(fraction + 0.025), "dixon", "dixon"])
    write_csv(folder / "cohort.csv", COHORT_HEADER, rows)

    bmi_text = np.array(["%.1f" % v for v in bmi], dtype=object)
    bmi_text[rng.random(n) < 0.005] = "NA"
    phenotypes = [[ids[i], str(pain[i]), str(age[i]), "female" if female[i] else "male", activity[i],
                   *(str(flags[name][i]) for name in ("diabetes", "dyslipidemia", "osteoporosis", "osteoarthritis")),
                   bmi_text[i], str(flags["smoker"][i])]
                  for i in range(n) if ids[i] in phenotype_ids]
    write_csv(folder / "phenotypes.csv", PHENOTYPE_HEADER, phenotypes)
    (folder / "case.json").write_text(json.dumps({**CASE, "cohort": "cohort.csv", "phenotypes": "phenotypes.csv"},
                                                 indent=1) + "\n")


def fit(y, X):
    return sm.Logit(y, X).fit(method="newton", tol=1e-12, maxiter=100, disp=0)


def timed(repeats, work):
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return {"best": min(seconds), "median": statistics.median(seconds)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--participants", type=int, default=30000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    write_cohort(args.folder, args.participants, np.random.default_rng(args.seed))

    def read():
        return read_text_csv(args.folder / "cohort.csv"), read_text_csv(args.folder / "phenotypes.csv")

    cohort, phenotypes = read()
    y, X, names, _, counts = analysis_data(CASE, cohort, phenotypes)
    result = fit(y, X)
    assert result.mle_retvals["converged"]
    report = {
        "case": CASE["name"], "n": counts["n"], "events": counts["events"], "dropped": counts["dropped"],
        "columns": names, "beta": result.params.tolist(), "se": result.bse.tolist(),
        "newton_iterations": int(result.mle_retvals["iterations"]), "repeats": args.repeats,
        "seconds": {
            "fit": timed(args.repeats, lambda: fit(y, X)),
            "design_and_fit": timed(args.repeats, lambda: fit(*analysis_data(CASE, cohort, phenotypes)[:2])),
            "read_design_fit": timed(args.repeats, lambda: fit(*analysis_data(CASE, *read())[:2])),
        },
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__,
                     "statsmodels": statsmodels.__version__},
        "threads": {name: os.environ.get(name) for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                               "MKL_NUM_THREADS")},
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
