#!/usr/bin/env bash
# The readers' mutation fuzzer (Sources/IMATFuzz): PNG slices, NIfTI (.nii and .nii.gz), DICOM, compressed DICOM codestreams, CSV tables, label tables (JSON, BIDS .tsv) and
# scan.json, from valid seeds (our writer's files, nibabel's and the PNG suite's in Tests/VolumeIOTests/Fixtures).
# A crash, a hang or an allocation past 8 GiB of address space saves the input in .fuzz/ and fails; so does
# an error message that names no input. The seed makes a run repeatable input for input.
# Usage: scripts/fuzz.sh [--seconds N per reader (default 60)] [--seed S] [reader ...]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product IMATFuzz >&2
.build/debug/IMATFuzz --findings .fuzz "$@"
