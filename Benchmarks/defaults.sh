#!/usr/bin/env bash
# The default analyses side by side with their Python peers, in one run, on the benchmark participant
# (256×256×120, Benchmarks/prepare-data.sh): whole processes, median of 3 (and best), wall seconds.
#   Dixon: `imat analyze` on water + fat + mask (noise-corrected fat fraction) against plain_dixon.py.
#   T1w:   `imat analyze` on t1 + mask (pve, bias-corrected) against musclemap_style.py --method gmm.
# Usage: Benchmarks/defaults.sh     (about 2 minutes; Python from Benchmarks/python-env.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="$("$root/Benchmarks/python-env.sh")"
(cd "$root" && swift build -c release --product imat >&2)
"$root/Benchmarks/prepare-data.sh"
imat="$root/.build/release/imat"
participant="$root/Benchmarks/.data/nifti/P0001"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The T1w analysis sees only the T1w image and the mask (with water and fat present it would be Dixon).
mkdir -p "$work/t1w/P0001"
for f in t1.nii.gz mask.nii.gz scan.json; do ln -s "$participant/$f" "$work/t1w/P0001/$f"; done

"$py" - "$imat" "$participant" "$work" "$root/Benchmarks" <<'PY'
import os, statistics, subprocess, sys, time
imat, participant, work, bench = sys.argv[1:5]
out = os.path.join(work, "out")

def run(command):
    seconds = []
    for _ in range(3):
        subprocess.run(["rm", "-rf", out], check=True)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), min(seconds)

cases = [
    ("Dixon (noise-corrected)", [imat, "analyze", participant, "--out", out],
     [sys.executable, os.path.join(bench, "plain_dixon.py"), participant, out], "plain Python Dixon (plain_dixon.py)"),
    ("T1w (pve, bias-corrected)", [imat, "analyze", os.path.join(work, "t1w", "P0001"), "--out", out],
     [sys.executable, os.path.join(bench, "musclemap_style.py"), os.path.join(participant, "t1.nii.gz"),
      os.path.join(participant, "mask.nii.gz"), out, "--method", "gmm"], "MuscleMap-style GMM pipeline"),
]
print("| default `imat analyze` | IMATKit, median (best) | Python peer | peer, median (best) | ratio |")
print("|---|---|---|---|---|")
for name, ours, theirs, peer in cases:
    a, a_best = run(ours)
    b, b_best = run(theirs)
    print(f"| {name} | {a:.2f} s ({a_best:.2f}) | {peer} | {b:.2f} s ({b_best:.2f}) | {b / a:.2f}× |")
PY
