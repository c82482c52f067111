#!/usr/bin/env bash
# The speed suite in one go: writes the benchmark participant if needed (prepare-data.sh), runs every
# benchmark (package-benchmark, release build; each benchmark in its own process) and prints the usual tables.
# Results, in Benchmarks/.results/:
#   suite.json      per benchmark and metric (wallClock, cpuTotal in ns; peakMemoryResident,
#                   peakMemoryResidentDelta in bytes; throughput in runs/s) the percentiles p0…p100 and the
#                   sample count, decoded from package-benchmark's histograms by suite_summary.py;
#   histograms/     those histograms as package-benchmark exports them (--format histogramEncoded);
#   suite.jmh.json  the JMH export (--format jmh). It leaves out every benchmark whose runs take over 2 s:
#                   package-benchmark rounds their throughput to 0 runs/s, and JMH needs a throughput.
# and prints the summary table and target ratios that suite-results.md shows.
# Usage: Benchmarks/run.sh [extra package-benchmark options, e.g. --filter 'load.*']
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/prepare-data.sh"
cd "$here"
benchmark=(swift package --disable-sandbox --allow-writing-to-package-directory benchmark)
# A named baseline (kept in .benchmarkBaselines/) lets one run give both the tables and the exports.
"${benchmark[@]}" baseline update suite --no-progress "$@"
"${benchmark[@]}" baseline read suite
rm -rf .results
mkdir -p .results/histograms
"${benchmark[@]}" baseline read suite --format histogramEncoded --path .results/histograms >/dev/null
"${benchmark[@]}" baseline read suite --format jmh --path .results >/dev/null
echo
python3 "$here/suite_summary.py" .results/histograms .results .data/nifti/P0001
