#!/usr/bin/env bash
# The main job on the bundled sample volumes: installs what is missing, builds a release imat,
# and runs it over sample-volumes/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product imat
imat=.build/release/imat
for participant in sample-volumes/*/; do
    for role in t1 water fat mask; do
        for path in "$participant$role" "$participant$role.nii" "$participant$role.nii.gz"; do
            [ -e "$path" ] && "$imat" info "$path"
        done
    done
done
echo "sample volumes read: see above (the analysis arrives with 'imat analyze')"
