#!/usr/bin/env bash
# How well `imat analyze` finds fat–water swaps: a phantom cohort of N unswapped participants and M swapped ones
# (in turn the whole volume, 3 slices, 7 slices; truth.json lists the slices), analysed with `imat batch`, each
# participant's detected slices compared with the truth. Prints the detection table.
# Usage: Benchmarks/swap_detection.sh [UNSWAPPED (200)] [SWAPPED (60)]     (about 5 minutes)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
unswapped="${1:-200}"
swapped="${2:-60}"
(cd "$root" && swift build -c release --product imat >&2)
imat="$root/.build/release/imat"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# 3 × 3 × 6 mm voxels, 128 × 112 × 24: the lumbar field of view of a body scan at low resolution, quick to render.
"$imat" phantom --out "$work/scans" --participants $((unswapped + swapped)) --swapped "$swapped" --seed 23 \
    --shape 128 112 24 --spacing 3 3 6 >/dev/null
"$imat" batch "$work/scans" --out "$work/out" >/dev/null 2>&1

python3 - "$work" "$unswapped" "$swapped" <<'PY'
import json, os, sys
work, unswapped, swapped = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
kinds = {"whole volume": [0, 0], "3 slices": [0, 0], "7 slices": [0, 0], "none": [0, 0]}
extra, lowest = 0, None
for name in sorted(os.listdir(f"{work}/scans")):
    if not name.startswith("P"):
        continue
    truth = json.load(open(f"{work}/scans/{name}/truth.json")).get("fat_water_swap_slices") or []
    swap = json.load(open(f"{work}/out/{name}/metrics.json"))["qc"]["fat_water_swap"]
    found = swap["slices"]
    kind = "none" if not truth else "whole volume" if len(truth) == 24 else f"{len(truth)} slices"
    kinds[kind][0] += 1
    kinds[kind][1] += (found == truth)
    extra += len(set(found) - set(truth))
    scores = [s for s in swap["evidence"]["scores"] if s is not None]
    if not truth and scores:
        lowest = min(scores) if lowest is None else min(lowest, min(scores))
print("| phantom participants | n | found exactly (slices = truth) |")
print("|---|---|---|")
for kind, (n, exact) in kinds.items():
    label = "unswapped: not flagged" if kind == "none" else f"swap over {kind}"
    print(f"| {label} | {n} | {exact} ({100 * exact / max(n, 1):.0f} %) |")
print(f"\nSlices flagged beyond the truth, over all participants: {extra}. Lowest slice score of an unswapped participant: {lowest:.2f} (a slice counts as swapped below −0.3).")
PY
