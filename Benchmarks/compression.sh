#!/usr/bin/env bash
# The .nii.gz floors side by side (Benchmarks/compression.c): zlib, libdeflate and ISA-L inflating and
# deflating the benchmark participant's T1w image and the fat-fraction map `imat analyze` writes for it.
# Usage: Benchmarks/compression.sh     (needs zlib1g-dev, libdeflate-dev, libisal-dev; under a minute)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/Benchmarks/prepare-data.sh"
(cd "$root" && swift build -c release --product imat >&2)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/compression" "$root/Benchmarks/compression.c" -lz -ldeflate -lisal
participant="$root/Benchmarks/.data/nifti/P0001"
"$root/.build/release/imat" analyze "$participant" --out "$work/out" >/dev/null
"$work/compression" "$participant/t1.nii.gz"
echo
"$work/compression" "$work/out/P0001/fat_fraction.nii.gz"
