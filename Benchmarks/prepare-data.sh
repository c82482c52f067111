#!/usr/bin/env bash
# Writes the participant the speed suite reads, once: a 256×256×120 phantom (1.5 × 1.5 × 2.5 mm, seed 1) as
# NIfTI (Benchmarks/.data/nifti/P0001) and as PNG slice folders (Benchmarks/.data/png/P0001). The same seed
# gives byte-identical files on any machine, so every run of the suite (and the Python comparison) sees the
# same voxels. Existing folders are kept.
# Usage: Benchmarks/prepare-data.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/Benchmarks/.data"

missing=()
for format in nifti png; do
    [[ -d "$data/$format/P0001" ]] || missing+=("$format")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

(cd "$root" && swift build -c release --product imat >&2)
imat="$root/.build/release/imat"
for format in "${missing[@]}"; do
    work="$data/$format.tmp"
    rm -rf "$work"
    "$imat" phantom --out "$work" --participants 1 --seed 1 --shape 256 256 120 --spacing 1.5 1.5 2.5 \
        --format "$format" >&2
    # The phantom writes OUT/P0001 (plus the cohort's phenotypes.csv, which the suite does not need).
    mkdir -p "$data/$format"
    mv "$work/P0001" "$data/$format/P0001"
    rm -rf "$work"
done
