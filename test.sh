#!/usr/bin/env bash
# Set up if needed, then run the whole test suite and the linter.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --test
.venv/bin/ruff check .
# Both cores on SQLite (one database file per test); PostgreSQL has one test database,
# so its run is serial.
if [ -z "${DUMENT_TEST_DATABASE_URL:-}" ]; then workers=(-n auto --dist loadfile); else workers=(-p no:xdist); fi
.venv/bin/python -m pytest "${workers[@]}" "$@"
