#!/usr/bin/env bash
# The batch on a real SLURM cluster: starts a one-node cluster on this machine, submits the script that
# `imat slurm` prints for sample-volumes/, waits for the array and merge jobs, and checks that the merged
# cohort.csv equals a local `imat batch` + `imat merge`. Stops exactly the daemons it started.
# Usage: scripts/slurm-test.sh [IMAT_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
imat=$(realpath "${1:-.build/debug/imat}")
work=$(mktemp -d /tmp/imat-slurm-test.XXXXXX)
chmod 755 "$work"  # munged runs as the munge user and must reach its pid folder inside
state="$work/slurm"
passed=false
# Stop the daemons first (their pid files live in $state), then drop the work folder unless it is evidence.
trap 'scripts/slurm-cluster.sh stop "$state"; if $passed; then rm -rf "$work"; fi' EXIT

scripts/slurm-cluster.sh start "$state"
"$imat" slurm sample-volumes --out "$work/cluster" --array-size 3 --cpus 1 --mem 1G --time 00:10:00 > "$work/submit.sh"
submitted=$(bash "$work/submit.sh")
echo "$submitted"
array_job=$(sed -n 's/^submitted array job \([0-9]*\).*/\1/p' <<<"$submitted")
merge_job=$(sed -n 's/.*merge job \([0-9]*\)$/\1/p' <<<"$submitted")
for _ in $(seq 600); do
    [ -z "$(squeue -h -j "$array_job,$merge_job" 2>/dev/null)" ] && break
    sleep 0.5
done
[ -z "$(squeue -h -j "$array_job,$merge_job" 2>/dev/null)" ] || { echo "slurm-test: jobs still queued after 300 s" >&2; exit 1; }
cat "$work"/cluster/logs/*.log

"$imat" batch sample-volumes --out "$work/local" >/dev/null
"$imat" merge "$work/local" >/dev/null
if cmp "$work/cluster/cohort.csv" "$work/local/cohort.csv"; then
    echo "slurm-test: cohort.csv from $(ls "$work"/cluster/logs/batch-*.log | wc -l) array tasks equals the local batch ($(($(wc -l < "$work/local/cohort.csv") - 1)) rows)"
    passed=true
else
    echo "slurm-test: cohort.csv differs between the cluster and the local batch ($work)" >&2
    exit 1
fi
