#!/usr/bin/env bash
# Set up if needed, then serve Dûment at http://127.0.0.1:5000 with gunicorn (settings in
# gunicorn.conf.py) on a local SQLite database.
# With arguments, runs the `dument` command instead (e.g. ./run.sh assess examples/b2b-acknowledged.yaml).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
if [ $# -gt 0 ]; then
  exec .venv/bin/dument "$@"
fi
.venv/bin/flask --app webapp init-db
echo "Dûment : http://${DUMENT_BIND:-127.0.0.1:5000}"
exec .venv/bin/gunicorn --config gunicorn.conf.py "webapp:create_app()"
