#!/usr/bin/env bash
# Set up if needed, then run Dûment. Without arguments, assesses a sample claim;
# with arguments, runs the `dument` command (e.g. ./run.sh assess my-claim.yaml --on 2026-11-23).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
if [ $# -eq 0 ]; then
  set -- assess examples/b2b-acknowledged.yaml
fi
exec .venv/bin/dument "$@"
