#!/usr/bin/env python3
"""imat mr (--convention mendelianrandomization) against pytwosamplemr 0.1.0 from PyPI, a Python port of
MendelianRandomization's estimators and TwoSampleMR's harmonisation: the same harmonised SNPs (imat's, from
mr.json) through both, and each package's own harmonisation of the main fixture.
Usage: pip install pytwosamplemr==0.1.0; python3 Benchmarks/mr_python_crosscheck.py IMAT (from the repository root)."""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytwosamplemr as mr

imat = sys.argv[1]
fixtures = Path("Tests/MendelianRandomizationTests/Fixtures")
with tempfile.TemporaryDirectory() as work:
    subprocess.run([imat, "mr", "--exposure", fixtures / "main_exposure.csv", "--outcome", fixtures / "main_outcome.tsv", "--out", work,
                    "--convention", "mendelianrandomization", "--bootstrap", "100"], check=True, stdout=subprocess.DEVNULL)
    result = json.loads((Path(work) / "mr.json").read_text())
used = result["snps"]["used"]
obj = mr.mr_input([s["beta_exposure"] for s in used], [s["se_exposure"] for s in used],
                  [s["beta_outcome"] for s in used], [s["se_outcome"] for s in used], snps=[s["snp"] for s in used])
m = result["methods"]
ours_theirs = [
    ("IVW (random, K >= 4)", m["ivw"]["b"], mr.mr_ivw(obj).estimate, m["ivw"]["se"], mr.mr_ivw(obj).se),
    ("MR-Egger", m["egger"]["b"], mr.mr_egger(obj).estimate, m["egger"]["se"], mr.mr_egger(obj).se),
    ("I2_GX", m["egger"]["i2_gx"], mr.mr_egger(obj).i_sq, None, None),
    ("MR-Egger intercept", m["egger"]["intercept"]["b"], mr.mr_egger(obj).intercept, m["egger"]["intercept"]["se"], mr.mr_egger(obj).intercept_se),
    ("simple median", m["simple_median"]["b"], mr.mr_median(obj, weighting="simple").estimate, None, None),
    ("weighted median", m["weighted_median"]["b"], mr.mr_median(obj, weighting="weighted").estimate, None, None),
    ("penalised weighted median", m["penalised_weighted_median"]["b"], mr.mr_median(obj, weighting="penalized").estimate, None, None),
    ("weighted mode (mr_mbe)", m["weighted_mode"]["b"], mr.mr_mbe(obj, iterations=100).estimate, None, None),
    ("simple mode (mr_mbe unweighted)", m["simple_mode"]["b"], mr.mr_mbe(obj, weighting="unweighted", iterations=100).estimate, None, None),
    ("maximum likelihood (theirs: Nelder-Mead)", m["maximum_likelihood"]["b"], mr.mr_maxlik(obj).estimate,
     m["maximum_likelihood"]["se"], mr.mr_maxlik(obj).se),
]
print(f"K = {len(used)} SNPs (imat's harmonisation)\n")
print("| method | imat b | pytwosamplemr b | relative difference | SE relative difference |")
print("|---|---|---|---|---|")
for name, ours, theirs, se_ours, se_theirs in ours_theirs:
    se = "" if se_ours is None else f"{abs(se_ours - se_theirs) / abs(se_theirs):.1e}"
    print(f"| {name} | {ours:.10g} | {theirs:.10g} | {abs(ours - theirs) / abs(theirs):.1e} | {se} |")

def side(path, names):
    d = pd.read_csv(path, sep="\t" if path.suffix == ".tsv" else ",", dtype=str, keep_default_na=False)
    d.columns = names
    d["SNP"] = d["SNP"].str.lower()
    d = d.drop_duplicates("SNP")
    for c in ("beta", "se", "eaf", "pval"):
        d[c] = pd.to_numeric(d[c].replace({"": None, "NA": None}), errors="coerce")
    return d

names = ["SNP", "effect_allele", "other_allele", "eaf", "beta", "se", "pval", "samplesize"]
exposure = side(fixtures / "main_exposure.csv", names)
exposure = exposure[exposure["pval"] < 5e-8]
theirs = mr.harmonise_data(exposure, side(fixtures / "main_outcome.tsv", names))
kept = set(theirs[theirs["mr_keep"]]["SNP"])
ours = {s["snp"] for s in used}
print(f"\nharmonisation: imat keeps {len(ours)}, pytwosamplemr {len(kept)}; only imat: {sorted(ours - kept)}; only pytwosamplemr: {sorted(kept - ours)}")
