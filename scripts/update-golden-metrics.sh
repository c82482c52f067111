#!/usr/bin/env bash
# Records the current analysis revision's results in Tests/CLITests/Fixtures/golden-metrics.json.
# Refuses when that revision is already recorded with other results: bump IMATVersion.analysisRevision first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f Tests/CLITests/Fixtures/golden-metrics.json ] || echo '{}' > Tests/CLITests/Fixtures/golden-metrics.json
IMAT_UPDATE_GOLDEN=1 swift test --filter GoldenMetricsTests
