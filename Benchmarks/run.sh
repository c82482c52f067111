#!/usr/bin/env bash
# The speed suite in one go: writes the benchmark participant if needed (prepare-data.sh), runs every
# benchmark (package-benchmark, release build; each benchmark in its own process), prints the usual tables,
# exports the results as JMH JSON (per-benchmark percentiles of wall clock, CPU time, peak resident memory and
# throughput) to Benchmarks/.results/suite.jmh.json, and prints the summary of suite-results.md.
# Usage: Benchmarks/run.sh [extra package-benchmark options, e.g. --filter 'load.*']
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/prepare-data.sh"
cd "$here"
benchmark=(swift package --disable-sandbox --allow-writing-to-package-directory benchmark)
# A named baseline (kept in .benchmarkBaselines/) lets one run give both the tables and the export.
"${benchmark[@]}" baseline update suite --no-progress "$@"
"${benchmark[@]}" baseline read suite
mkdir -p .results
"${benchmark[@]}" baseline read suite --format jmh --path .results
python3 "$here/suite_summary.py" .results/suite.jmh.json .data/nifti/P0001
