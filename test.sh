#!/usr/bin/env bash
# Set up if needed, then run the whole test suite and the linter.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
