#!/usr/bin/env bash
# The main job on the bundled sample volumes: installs what is missing, builds a release imat, analyses
# every participant of sample-volumes/ with `imat batch` and merges the cohort table and its report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product imat
imat=.build/release/imat
out=${1:-results}
"$imat" batch sample-volumes --out "$out"
"$imat" merge "$out"
echo
echo "results in $out/:"
echo "  per participant: $out/<ID>/report.html, metrics.json, metrics.csv, tissue.nii.gz, fat_fraction.nii.gz"
echo "  cohort:          $out/cohort.csv, $out/cohort.html"
