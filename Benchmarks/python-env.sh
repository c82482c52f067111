#!/usr/bin/env bash
# Creates (once) Benchmarks/.venv with the Python tools IMATKit is compared with, and prints its python.
# Usage: PY=$(Benchmarks/python-env.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --upgrade pip >&2
fi
"$venv/bin/pip" install --quiet numpy pandas scipy statsmodels nibabel SimpleITK scikit-image scikit-learn >&2
echo "$venv/bin/python"
