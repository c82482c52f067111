#!/usr/bin/env bash
# The archive on a bare Debian 12, as a compute node without Swift, libpng or OpenBLAS has it: a minimal root
# made with debootstrap, the archive unpacked and installed there with its install.sh, and the Dixon and T1w
# sample participants analysed inside with chroot. Checks that nothing imat needs was in that root, that the
# results equal those of the same archive on this machine, and that every output names the archive's version.
# Usage: scripts/package-test.sh [ARCHIVE]    (as root; default: a fresh scripts/package.sh; debootstrap fetches
#        about 40 MB of Debian 12 packages from the apt mirror this machine uses)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh debootstrap
archive=$(realpath "${1:-$(scripts/package.sh | tail -1)}")
name=$(basename "$archive" .tar.gz)
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
root=$(mktemp -d /tmp/imat-chroot.XXXXXX) host=$(mktemp -d)
trap 'umount "$root/proc" 2>/dev/null || true; rm -rf "$root" "$host"' EXIT
fail() { echo "package-test: $*" >&2; exit 1; }

debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >/dev/null
for library in libpng16.so libopenblas.so libisal.so liblapacke.so libswiftCore.so libFoundation.so libgfortran.so; do
    [ -z "$(find "$root" -name "$library*" -print -quit)" ] || fail "the bare root already has $library"
done
[ ! -e "$root/usr/bin/swift" ] || fail "the bare root has swift"

# A node has /proc; the loader reads the binary's place there to find the libraries beside it ($ORIGIN).
mount -t proc proc "$root/proc"
mkdir -p "$root/opt/dist" "$root/data" "$host/dist"
tar -C "$root/opt/dist" -xzf "$archive"
chroot "$root" "/opt/dist/$name/install.sh" /opt/imat
version=$(cat "$root/opt/dist/$name/VERSION")
[ "$(chroot "$root" /opt/imat/bin/imat --version)" = "$version" ] || fail "imat --version in the root is not $version"
grep -q '^OPENBLAS_NUM_THREADS=1 exec ' "$root/opt/imat/bin/imat" || fail "the installed imat does not run OpenBLAS single-threaded"
for completion in bash-completion/completions/imat zsh/site-functions/_imat fish/vendor_completions.d/imat.fish; do
    grep -q imat "$root/opt/imat/share/$completion" || fail "completion $completion not installed"
done

# The same archive on this machine, for comparison.
tar -C "$host/dist" -xzf "$archive"
for participant in P0002 P0004; do
    cp -R "sample-volumes/$participant" "$root/data/"
    chroot "$root" /opt/imat/bin/imat analyze "/data/$participant" --out /data/out >/dev/null
    "$host/dist/$name/bin/imat" analyze "sample-volumes/$participant" --out "$host/out" >/dev/null
    for file in metrics.csv slices.csv fat_fraction.nii.gz tissue.nii.gz; do
        cmp -s "$root/data/out/$participant/$file" "$host/out/$participant/$file" || fail "$participant/$file differs between the bare root and this machine"
    done
    python3 - "$root/data/out/$participant" "$version" <<'PY'
import csv, json, sys
folder, version = sys.argv[1], sys.argv[2]
number, revision = version.split()[0], version.split()[-1].rstrip(")")
m = json.load(open(f"{folder}/metrics.json"))
assert (m["imat_version"], m["source_revision"]) == (number, revision), (m["imat_version"], m["source_revision"], version)
assert all(row["imat_version"] == f"{number}+{revision}" for row in csv.DictReader(open(f"{folder}/metrics.csv")))
assert revision != "unknown", "the archive does not know its source revision"
PY
done
# A cluster run from the archive: the submission script calls the installed binary by its absolute path.
chroot "$root" /opt/imat/bin/imat slurm /data --out /data/results --array-size 2 > "$host/submit.sh"
grep -q "/opt/imat/lib/$name/bin/imat" "$host/submit.sh" || fail "imat slurm does not call the installed binary: $(grep -m1 imat "$host/submit.sh")"
start=$(date +%s%N); for _ in 1 2 3 4 5; do chroot "$root" /opt/imat/bin/imat --version >/dev/null; done
echo "package-test: $name analysed the Dixon and T1w samples in a bare Debian 12 root, results identical to this machine's;"
echo "  archive $(du -k "$archive" | cut -f1) KB, imat --version $(( ($(date +%s%N) - start) / 5000000 )) ms on average in the root; version: $version"
