"""Benchmark: `flask --app webapp followups run` over N dossiers (10 000) with a local SMTP server.

Usage: .venv/bin/python scripts/bench_followups.py [N] [--last-step K]
Seeds N dossiers whose first reminder is due (K of them at their last step, which renders
and attaches the relance PDF), starts an aiosmtpd server on 127.0.0.1, then times the
command as cron runs it (a separate process), and a second run (nothing left to send).
DATABASE_URL picks the database (default: a temporary SQLite file). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from webapp.store import database  # noqa: E402
from webapp.store.models import Account, Dossier, FollowUp  # noqa: E402

ON = "2026-11-05"  # a Thursday: step 1 of an invoice due on Monday 2 November


class Counter:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def claim(i: int, last_step: bool) -> dict:
    # At their last step: due 14 October, reminded on 19 and 26 October, step 3 (3 November) due on ON.
    history = {"reminders": [{"date": "2026-10-19", "channel": "email"}, {"date": "2026-10-26", "channel": "email"}]}
    due = "2026-10-14" if last_step else "2026-11-02"
    return {
        "creditor": {
            "name": f"Atelier {i} SARL",
            "kind": "company",
            "siren": "732829320",
            "email": f"contact{i}@atelier.example",
            "address": {"line1": "12 rue des Lilas", "postcode": "75011", "city": "Paris"},
        },
        "debtor": {
            "name": f"Client {i} SAS",
            "kind": "company",
            "address": {"line1": "3 place du Marché", "postcode": "69002", "city": "Lyon"},
        },
        "invoices": [{"number": f"F-{i}", "issued": "2026-09-14", "due": due, "amount": f"{1000 + i % 5000}.00"}],
        **({"history": history} if last_step else {}),
    }


def seed(url: str, n: int, last: int) -> None:
    engine = database.make_engine(url)
    database.upgrade(engine)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(Account).values(
                id=1,
                email="bench@example.org",
                name="Bench",
                password_hash="x",
                session_token="t",
                created_at=now,
                email_verified_at=now,
            )
        )
        ids = [uuid.uuid4().hex for _ in range(n)]
        rows = [
            {
                "id": d,
                "token": uuid.uuid4().hex,
                "claim": claim(i, i < last),
                "version": 1,
                "owner_id": 1,
                "created_at": now,
                "updated_at": now,
            }
            for i, d in enumerate(ids)
        ]
        connection.execute(insert(Dossier), rows)
        follow = [
            {
                "dossier_id": d,
                "enabled": True,
                "debtor_email": f"compta{i}@client.example",
                "enabled_at": now,
                "enabled_by": "bench@example.org",
                "problem": "",
            }
            for i, d in enumerate(ids)
        ]
        connection.execute(insert(FollowUp), follow)
    engine.dispose()


def timed_run(env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "webapp", "followups", "run", "--on", ON],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"followups run failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout.strip().splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--last-step", type=int, default=0, help="dossiers at their last step (PDF attached)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-followups-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    seed(url, args.n, args.last_step)
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=_free_port())
    controller.start()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DUMENT_INSTANCE_PATH": str(folder),
        "DUMENT_SECRET_KEY": "bench",
        "DUMENT_MAIL_URL": f"smtp://127.0.0.1:{controller.port}?starttls=false",
    }
    server_before, runner_before = _cpu()
    try:
        first, summary = timed_run(env)
        server_first, runner_first = _cpu()
        second, again = timed_run(env)
    finally:
        controller.stop()
    print(f"database: {url.split(':', 1)[0]}; dossiers: {args.n} ({args.last_step} at their last step, with PDF)")
    print(f"followups run, first:  {first:6.1f} s  — {summary}")
    print(f"followups run, second: {second:6.1f} s  — {again}")
    print(f"messages received by the SMTP server: {counter.count}; {args.n / first:,.0f} dossiers/s")
    print(
        f"CPU of the first run: the command {runner_first - runner_before:.1f} s, "
        f"the local SMTP server (aiosmtpd, this process) {server_first - server_before:.1f} s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


def _cpu() -> tuple[float, float]:
    """CPU seconds used so far by this process (the SMTP server) and by the commands it ran."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    main()
