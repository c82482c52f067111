#!/usr/bin/env bash
# Batch throughput on one core against two: `imat batch` over 8 Dixon phantom participants (192×160×48), runs
# interleaved, median of 5, wall and CPU seconds.
#   1 core:            taskset -c 0, IMAT_THREADS=1, --jobs 1
#   2 cores, --jobs 1: one participant at a time, each analysis on both cores
#   2 cores, --jobs 2: two participants at a time, one core each
# The 2-core speed-up is the 1-core wall time over the 2-core one. Equal CPU seconds in all three mean the two
# analyses do not slow each other down (no contention for memory bandwidth, allocator or page faults).
# Usage: Benchmarks/batch_scaling.sh     (about 2 minutes)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root" && swift build -c release --product imat >&2)
imat="$root/.build/release/imat"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$imat" phantom --out "$work/scans" --participants 8 --seed 3 >/dev/null

python3 - "$imat" "$work" <<'PY'
import resource, statistics, subprocess, sys, time
imat, work = sys.argv[1:3]
batch = [imat, "batch", f"{work}/scans", "--out", f"{work}/out"]
cases = [("1 core (`taskset -c 0`, `IMAT_THREADS=1`), `--jobs 1`", ["taskset", "-c", "0", "env", "IMAT_THREADS=1"] + batch + ["--jobs", "1"]),
         ("2 cores, `--jobs 1`", batch + ["--jobs", "1"]),
         ("2 cores, `--jobs 2`", batch + ["--jobs", "2"])]

def run(command):
    subprocess.run(["rm", "-rf", f"{work}/out"], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

times = {name: [] for name, _ in cases}
for _ in range(5):
    for name, command in cases:
        times[name].append(run(command))
one_core = statistics.median(wall for wall, _ in times[cases[0][0]])
print("| `imat batch`, 8 Dixon participants | wall, median | CPU, median | speed-up over 1 core |")
print("|---|---|---|---|")
for name, _ in cases:
    wall = statistics.median(w for w, _ in times[name])
    cpu = statistics.median(c for _, c in times[name])
    print(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {one_core / wall:.2f}× |")
PY
