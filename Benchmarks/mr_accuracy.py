#!/usr/bin/env python3
"""imat mr against the base-R reference (Tests/MendelianRandomizationTests/Fixtures/expected.json, written by
scripts/make_mr_fixtures.R): the largest relative difference per estimator over the fixture cases, for both
conventions. Usage: python3 Benchmarks/mr_accuracy.py IMAT (the imat binary), from the repository root."""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

imat = sys.argv[1]
fixtures = Path("Tests/MendelianRandomizationTests/Fixtures")
expected = json.loads((fixtures / "expected.json").read_text())["cases"]
worst = {}


def compare(label, actual, reference):
    if reference is None or actual is None:
        return
    difference = abs(actual - reference) / max(abs(reference), 1e-300)
    worst[label] = max(worst.get(label, 0.0), difference)


def estimate(label, actual, reference, keys=("b", "se", "ci_low", "ci_high", "p")):
    for key in keys:
        compare(f"{label} {key}", actual.get(key), reference.get(key))


with tempfile.TemporaryDirectory() as work:
    for name, ref in expected.items():
        for convention in ("twosamplemr", "mendelianrandomization"):
            out = Path(work) / f"{name}_{convention}"
            subprocess.run([imat, "mr", "--exposure", fixtures / f"{name}_exposure.csv", "--outcome", fixtures / f"{name}_outcome.tsv",
                            "--out", out, "--convention", convention, "--bootstrap", "100"], check=True, stdout=subprocess.DEVNULL)
            mr = json.loads((out / "mr.json").read_text())
            m, k = mr["methods"], len(mr["snps"]["used"])
            assert [s["snp"] for s in mr["snps"]["used"]] == (ref["snps"] if isinstance(ref["snps"], list) else [ref["snps"]])
            if convention == "twosamplemr":
                estimate("IVW (random)", m["ivw"], ref["ivw"])
                estimate("IVW (fixed)", m["ivw_fixed"], ref["ivw_fixed"])
                compare("Cochran's Q", mr["heterogeneity"]["ivw"]["Q"], ref["ivw"]["Q"])
                for single, wald in zip(mr["single_snp"], ref["wald"]):
                    estimate("Wald ratio", single, wald)
                for f, rf in zip(mr["instrument_strength"]["f"], ref["f_statistics"]):
                    compare("F statistic", f, rf)
                for key in ("r2_exposure", "r2_outcome", "z"):
                    compare("Steiger " + key, mr["steiger"][key], ref["steiger"][key])
                compare("ML b (exact optimum)", m["maximum_likelihood"]["b"], ref["ml"]["exact"]["b"])
                compare("ML SE (exact Hessian)", m["maximum_likelihood"]["se"], ref["ml"]["exact"]["se"])
                compare("ML Q", mr["heterogeneity"]["maximum_likelihood"]["Q"], ref["ml"]["exact"]["Q"])
            if k < 3:
                continue
            if convention == "twosamplemr":
                estimate("MR-Egger (t)", m["egger"], ref["egger"])
                estimate("MR-Egger intercept (t)", m["egger"]["intercept"], ref["egger"]["intercept"], ("b", "se", "p"))
                compare("Rucker's Q'", mr["heterogeneity"]["egger"]["Q"], ref["egger"]["Q"])
                compare("Q_diff", mr["heterogeneity"]["q_diff"]["Q"], ref["q_diff"]["Q"])
                compare("I2_GX (TwoSampleMR)", m["egger"]["i2_gx"], ref["isq_twosamplemr"])
                medians, modes = ref["medians_second_order"], ref["modes"]
                for left, rl in zip(mr["leave_one_out"], ref["leave_one_out"]):
                    estimate("leave-one-out IVW", left, rl)
            else:
                estimate("MR-Egger (normal)", m["egger"], ref["egger_normal"])
                compare("I2_GX (MendelianRandomization)", m["egger"]["i2_gx"], ref["isq_mendelianrandomization"])
                medians, modes = ref["medians_first_order"], ref["modes_unfloored"]
            suffix = " (second-order weights)" if convention == "twosamplemr" else " (first-order weights)"
            compare("simple median b", m["simple_median"]["b"], medians["simple"])
            compare("weighted median b" + suffix, m["weighted_median"]["b"], medians["weighted"])
            compare("penalised weighted median b" + suffix, m["penalised_weighted_median"]["b"], medians["penalised"])
            compare("simple mode b (R 4.4 density grid)", m["simple_mode"]["b"], modes["simple"]["estimate"])
            compare("weighted mode b (R 4.4 density grid)", m["weighted_mode"]["b"], modes["weighted"]["estimate"])

print("| quantity | largest relative difference |")
print("|---|---|")
for label, value in worst.items():
    print(f"| {label} | {value:.1e} |")
nm = expected["main"]["ml"]
print(f"\nML, main case (K = {len(expected['main']['snps'])}): exact Q {nm['exact']['Q']:.2f}, R optim Nelder-Mead Q {nm['nelder_mead']['Q']:.2f}"
      f" after {nm['nelder_mead']['counts']} evaluations (convergence code {nm['nelder_mead']['convergence']}); "
      f"b {nm['exact']['b']:.6f} against {nm['nelder_mead']['b']:.6f}")
