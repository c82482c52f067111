#!/usr/bin/env bash
# imat associate against statsmodels Logit on the same 30,000-participant cohort (12 design columns):
# association_speed.py writes the data and times statsmodels; this script times `imat associate` on the
# same files and checks that both found the same coefficients.
# Usage: Benchmarks/association.sh [PARTICIPANTS] [REPEATS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
participants="${1:-30000}"
repeats="${2:-10}"
py="$("$root/Benchmarks/python-env.sh")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$root" && swift build -c release --product imat >&2)
imat="$root/.build/release/imat"
"$py" "$root/Benchmarks/association_speed.py" "$work/data" --participants "$participants" --repeats "$repeats" > "$work/statsmodels.json"
"$py" - "$imat" "$work" "$repeats" <<'PY'
import json, statistics, subprocess, sys, time
imat, work, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
case = json.load(open(f"{work}/data/case.json"))
reference = json.load(open(f"{work}/statsmodels.json"))
categorical = case["categorical"]
command = [imat, "associate", "--cohort", f"{work}/data/cohort.csv", "--phenotypes", f"{work}/data/phenotypes.csv",
           "--outcome", case["outcome"], "--exposure", case["exposure"], "--muscle", case["muscle"],
           "--covariates", ",".join(case["covariates"]), "--categorical", ",".join(categorical),
           "--per", case["per"], "--out", f"{work}/out"]
seconds = []
for _ in range(repeats):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds.append(time.perf_counter() - start)
result = json.load(open(f"{work}/out/association.json"))
beta = [t["beta"] for t in result["terms"]]
worst = max(abs(a - b) / abs(b) for a, b in zip(beta, reference["beta"]))
s = reference["seconds"]
print(f"n = {result['n']} (statsmodels {reference['n']}), {len(beta)} terms; largest relative difference in beta: {worst:.1e}")
print("| step | statsmodels 0.15 | imat associate |")
print("|---|---|---|")
print(f"| one logistic fit on the prepared design | {s['fit']['best']*1e3:.1f} ms | see package-benchmark (Benchmarks/README.md) |")
print(f"| join + design + fit (imat: + the reduced fit for the LRT) | {s['design_and_fit']['best']*1e3:.0f} ms | in-process: package-benchmark |")
print(f"| read CSVs + join + design + fit, best of {repeats} | {s['read_design_fit']['best']*1e3:.0f} ms | {min(seconds)*1e3:.0f} ms (whole command: start, read, 2 fits, JSON + HTML) |")
PY
