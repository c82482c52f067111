#!/usr/bin/env bash
# The default analyses side by side with their Python peers, in one run, on the benchmark participant
# (256×256×120, Benchmarks/prepare-data.sh): whole processes, median (and best) of 5, wall seconds.
#   Dixon: `imat analyze` on water + fat + mask (noise-corrected fat fraction) against plain_dixon.py, and
#          `imat analyze --noise-correction off` (the same plain F/(F+W) as plain_dixon.py: the floor).
#   T1w:   `imat analyze` on t1 + mask (pve, bias-corrected) against musclemap_style.py --method gmm.
# The same table opens Benchmarks/compare.sh's results (compare.py's defaults section).
# Usage: Benchmarks/defaults.sh     (about 3 minutes; Python from Benchmarks/python-env.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="$("$root/Benchmarks/python-env.sh")"
(cd "$root" && swift build -c release --product imat >&2)
"$root/Benchmarks/prepare-data.sh"
"$py" "$root/Benchmarks/compare.py" --defaults-only --imat "$root/.build/release/imat" \
    --participant "$root/Benchmarks/.data/nifti/P0001" "$@"
