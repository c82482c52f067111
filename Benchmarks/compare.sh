#!/usr/bin/env bash
# IMATKit side by side with scikit-learn, SimpleITK, scikit-image and statsmodels (Benchmarks/compare.py):
# builds the release imat, prepares the 256×256×120 participant, runs Benchmarks/association.sh, then
# compare.py, which prints the markdown and writes Benchmarks/compare-results.md. Takes about 10 minutes.
# Usage: Benchmarks/compare.sh [--imatkit-results Benchmarks/.results/suite.json] [other compare.py options]
#   suite.json: the Swift suite's results (Benchmarks/run.sh writes it), for the per-algorithm ratios.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="$("$root/Benchmarks/python-env.sh")"
(cd "$root" && swift build -c release --product imat >&2)
imat="$root/.build/release/imat"

participant="$root/Benchmarks/.data/nifti/P0001"
if [[ -x "$root/Benchmarks/prepare-data.sh" ]]; then
    "$root/Benchmarks/prepare-data.sh"
elif [[ ! -d "$participant" ]]; then
    # The speed suite's participant, written the same way as its prepare-data.sh does.
    work="$root/Benchmarks/.data/nifti.tmp"
    rm -rf "$work"
    "$imat" phantom --out "$work" --participants 1 --seed 1 --shape 256 256 120 --spacing 1.5 1.5 2.5 --format nifti >&2
    mkdir -p "$(dirname "$participant")"
    mv "$work/P0001" "$participant"
    rm -rf "$work"
fi

association="$(mktemp)"
trap 'rm -f "$association"' EXIT
"$root/Benchmarks/association.sh" > "$association"
"$py" "$root/Benchmarks/compare.py" --imat "$imat" --participant "$participant" --association "$association" "$@"
