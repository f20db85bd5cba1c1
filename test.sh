#!/usr/bin/env bash
# Set up if needed, then run the whole test suite and the linter.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --test
.venv/bin/ruff check .
# Both cores: one SQLite file per test, or on PostgreSQL one schema per worker (tests/conftest.py).
.venv/bin/python -m pytest -n auto --dist loadfile "$@"
