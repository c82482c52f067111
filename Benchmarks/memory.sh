#!/usr/bin/env bash
# Peak memory of the default analyses against the decoded images they analyse, on the benchmark participant
# (256×256×120, Benchmarks/prepare-data.sh; its folder holds t1, water, fat and mask). Whole processes:
# peak resident set (GNU time's %M) minus that of `imat --version` (the runtime and libraries), over the
# bytes of the images the method uses once decoded (Dixon: water, fat, mask; T1w: t1, mask).
# Usage: Benchmarks/memory.sh      (a few seconds after the release build; MB = 10⁶ bytes)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root" && swift build -c release --product imat >&2)
"$root/Benchmarks/prepare-data.sh" >&2
imat="$root/.build/release/imat" participant="$root/Benchmarks/.data/nifti/P0001"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
baseline=$(peak "$imat" --version)
decoded() { python3 -c "import nibabel as n, sys; print(sum(n.load(f).get_data_dtype().itemsize * n.load(f).header['dim'][1:4].prod() for f in sys.argv[1:]))" "$@"; }
echo "| analysis | peak resident | minus the process itself ($((baseline * 1024 / 1000000)) MB) | decoded images used | ratio |"
echo "|---|---|---|---|---|"
for case in "dixon:water fat mask" "pve:t1 mask"; do
    method=${case%%:*} roles=${case#*:}
    files=(); for r in $roles; do files+=("$participant/$r.nii.gz"); done
    bytes=$(decoded "${files[@]}")
    kb=$(peak "$imat" analyze "$participant" --out "$out" --method "$method")
    python3 -c "import sys; kb, base, b = map(int, sys.argv[1:4]); print(f'| {sys.argv[4]} | {kb * 1024 / 1e6:.0f} MB | {(kb - base) * 1024 / 1e6:.0f} MB | {b / 1e6:.1f} MB ({sys.argv[5]}) | {(kb - base) * 1024 / b:.2f}× |')" \
        "$kb" "$baseline" "$bytes" "$method" "${roles// /, }"
done
