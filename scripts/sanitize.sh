#!/usr/bin/env bash
# The whole test suite under a sanitizer, in its own build folder: scripts/sanitize.sh address|thread
# (imat itself, run by the CLI tests, is built with the same sanitizer). Exits non-zero on any report.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/sanitize.sh address|thread}
case "$kind" in
  address) export LSAN_OPTIONS="suppressions=$PWD/scripts/sanitizers/lsan.supp:print_suppressions=0"
           export ASAN_OPTIONS="halt_on_error=1:detect_stack_use_after_return=1" ;;
  thread)  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1" ;;
  *) echo "scripts/sanitize.sh: unknown sanitizer '$kind' (address or thread)" >&2; exit 2 ;;
esac
swift build --build-tests --sanitize="$kind" --scratch-path ".build-$kind"
swift test --skip-build --sanitize="$kind" --scratch-path ".build-$kind"
