"""gunicorn settings for ./run.sh: sized for this machine, logs to the terminal.

Rendering a PDF is CPU work: one worker per core, each with a few threads for the
requests that mostly wait (pages, the database). A dossier with many exhibits can take
tens of seconds, hence the timeout. Every value can be overridden on the command line
or with GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("DUMENT_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("DUMENT_WORKERS", os.cpu_count() or 1))
threads = 4
timeout = 120
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
loglevel = "info"
