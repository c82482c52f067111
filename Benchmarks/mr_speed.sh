#!/usr/bin/env bash
# imat mr on many exposure–outcome pairs: PAIRS simulated pairs of 100 SNPs each (imat mr-simulate; --p-threshold 1
# so every pair uses all 100), all estimators with 1,000 bootstrap replicates, through `imat mr --pairs`, on 1
# and 2 threads; then the base-R re-implementation of TwoSampleMR's workflow (Benchmarks/mr_speed_reference.R)
# on the first R_PAIRS pairs, and the per-pair times side by side.
# Usage: Benchmarks/mr_speed.sh [PAIRS] [R_PAIRS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pairs="${1:-1000}"
r_pairs="${2:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$root" && swift build -c release --product imat >&2)
imat="$root/.build/release/imat"
"$imat" mr-simulate --out "$work/data" --pairs "$pairs" --snps 100 --null-snps 0 --seed 1 > /dev/null
# OpenBLAS, linked by imat for the image modules, starts a spinning thread unless told not to; mr uses no BLAS.
export OPENBLAS_NUM_THREADS=1
for threads in 1 2; do
    start=$(date +%s.%N)
    IMAT_THREADS=$threads "$imat" mr --pairs "$work/data/pairs.csv" --out "$work/out$threads" --bootstrap 1000 --p-threshold 1 > /dev/null
    end=$(date +%s.%N)
    echo "imat mr --pairs, $pairs pairs x 100 SNPs, 1000 replicates, IMAT_THREADS=$threads: $(echo "$end - $start" | bc) s"
done
cmp "$work/out1/mr_pairs.csv" "$work/out2/mr_pairs.csv" && echo "mr_pairs.csv identical on 1 and 2 threads"
if command -v Rscript > /dev/null; then
    (cd "$root" && Rscript Benchmarks/mr_speed_reference.R "$work/data/pairs.csv" "$r_pairs" 1)
fi
