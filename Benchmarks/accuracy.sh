#!/usr/bin/env bash
# The accuracy table of the README: phantom participants at SNR 15 and 30 and bias 20% and 40%, analysed
# by IMATKit's methods and by a MuscleMap-style baseline (per-muscle GMM / k-means on raw intensities, no
# bias correction), each compared with the ground truth by Benchmarks/accuracy.py.
# Usage: Benchmarks/accuracy.sh [WORK_DIR] [PARTICIPANTS_PER_CONDITION]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-.build/accuracy}
n=${2:-4}
swift build -c release --product imat >/dev/null
imat=.build/release/imat
rm -rf "$work"
seed=100
for snr in 15 30; do
    for inu in 0.2 0.4; do
        seed=$((seed + 1))
        scans="$work/scans-snr$snr-inu$inu"
        "$imat" phantom --out "$scans" --participants "$n" --seed "$seed" --snr "$snr" --inu "$inu" --format nifti >/dev/null
        # Condition folders are merged per method below, so name participants by condition.
        for p in "$scans"/P*; do mv "$p" "$work/snr$snr-inu$inu-$(basename "$p")"; done
        rm -rf "$scans"
    done
done
mkdir -p "$work/scans"
mv "$work"/snr* "$work/scans/"
run() { # name, imat batch options...
    local name=$1; shift
    "$imat" batch "$work/scans" --out "$work/$name" "$@" >/dev/null 2>&1 || true
    python3 Benchmarks/accuracy.py "$work/scans" "$work/$name" "$name"
    echo
}
run "dixon (auto with water/fat)" --method dixon
run "pve: partial-volume mixture, T1w, bias-corrected" --method pve
run "gmm 3 classes, T1w, pooled, bias-corrected" --method gmm --classes 3
run "MuscleMap-style gmm 3 classes (per muscle, raw)" --method gmm --classes 3 --per-muscle-fit --no-bias-correction
run "MuscleMap-style gmm 2 classes (per muscle, raw)" --method gmm --classes 2 --per-muscle-fit --no-bias-correction
run "MuscleMap-style kmeans 2 classes (per muscle, raw)" --method kmeans --classes 2 --per-muscle-fit --no-bias-correction
