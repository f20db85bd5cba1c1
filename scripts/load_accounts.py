"""Load test of signed-in users under gunicorn and PostgreSQL, on loopback only (standard library only).

Why: load_wizard.py measures anonymous users on SQLite; production runs PostgreSQL and people
sign in, which adds an argon2 check per sign-in, an account lookup on every page, and dossiers
found through their owner. This script reuses load_wizard.py (its simulated browser, wizard
filling, gunicorn start and stop with a database URL and threads, page names, user threads,
report) and adds only the accounts and the PostgreSQL database.

Set-up, not measured: a fresh PostgreSQL database (by default: role ``dument_load`` and
database ``dument_load`` on the local Debian cluster, started if it is down, the database
dropped and created again on every run), ``init-db``, gunicorn (``-w 2`` sync workers, or
gthread with --threads), then every client signs up once (argon2 hashing at sign-up does
not skew the figures), then two clients do one warm-up round and check that an account's
dossier does not open for an anonymous visitor.

Measured: N clients for a bounded time. Each one, again and again: signs in (GET the form,
POST it, lands on the home page), starts a dossier, fills every step, opens the review, the
analysis and the documents page, downloads the mise en demeure
(``documents/mise-en-demeure.pdf?telecharger=1``, which must start with %PDF), signs out.

Usage:
    .venv/bin/python scripts/load_accounts.py --quick          # 5 users, 10 s
    .venv/bin/python scripts/load_accounts.py                  # 50 users, 60 s
    .venv/bin/python scripts/load_accounts.py --workers 2 --threads 4 --database-url postgresql://u:p@127.0.0.1/db

Prints load_wizard's table (per page: count, client p50 / p95 / max, errors, server p50 / p95
from the gunicorn access log) and totals. Exits 1 if there was any error, 2 if the database,
the server or the scenario could not start. The client, the workers and PostgreSQL share the
machine's cores: client figures are pessimistic; the server columns show the time in gunicorn.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

from load_wizard import (  # noqa: E402
    HOST,
    MAX_SECONDS,
    MAX_USERS,
    Reply,
    Server,
    User,
    percentile,
    report_run,
    run_checked,
    run_users,
)

LOCAL_ROLE = LOCAL_DATABASE = "dument_load"  # not CI's role "dument": CI drops it, which fails while it owns a database
LOCAL_PASSWORD = "dument_load"
RUN = secrets.token_hex(3)  # e-mail addresses unique to this run, so --database-url may name a used database
PASSWORD = secrets.token_urlsafe(18)
LOGOUT = "/compte/deconnexion"
SETUP_SECONDS = 300.0


# --- The database and the server -----------------------------------------------------------
def _as_postgres(sql: str, what: str) -> None:
    """Run SQL as the postgres superuser, from / (the postgres user cannot enter the work tree)."""
    run_checked(["su", "postgres", "-c", "psql -v ON_ERROR_STOP=1 -q"], what, timeout=60, input=sql, cwd="/")


def local_database() -> str:
    """A fresh database on the local Debian cluster (started if down); its URL."""
    if os.geteuid() != 0:
        raise RuntimeError("creating the local database needs root; or pass --database-url")
    clusters = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True)
    if not clusters.stdout.split():
        raise RuntimeError("no PostgreSQL cluster (apt-get install postgresql); or pass --database-url")
    version, cluster, port, status = clusters.stdout.split()[:4]
    if status != "online":
        print(f"Starting PostgreSQL {version}/{cluster} ...", flush=True)
        subprocess.run(["pg_ctlcluster", version, cluster, "start"], check=True, timeout=60)
    _as_postgres(
        f"DROP DATABASE IF EXISTS {LOCAL_DATABASE} WITH (FORCE);\n"
        f"DROP ROLE IF EXISTS {LOCAL_ROLE};\n"
        f"CREATE ROLE {LOCAL_ROLE} LOGIN PASSWORD '{LOCAL_PASSWORD}';\n"
        f"CREATE DATABASE {LOCAL_DATABASE} OWNER {LOCAL_ROLE};\n",
        "creating the database",
    )
    return f"postgresql://{LOCAL_ROLE}:{LOCAL_PASSWORD}@127.0.0.1:{port}/{LOCAL_DATABASE}"


def make_server(workdir: Path, database_url: str, args: argparse.Namespace) -> Server:
    """load_wizard's gunicorn on the given database (init-db upgrades it); gthread workers when threads > 1."""
    server = Server(workdir, args.workers, database_url=database_url, threads=args.threads)
    # All clients come from 127.0.0.1: without this, 20 failed sign-ins (a bug) would lock everyone out
    # for 15 minutes and hide the first error under hundreds of 429s.
    server.env["DUMENT_LOGIN_MAX_FAILURES_PER_ADDRESS"] = "1000000"
    return server


def describe(url: str) -> str:
    """The URL without its password."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


# --- One person with an account ------------------------------------------------------------
class AccountUser(User):
    """Signs in, prepares a whole dossier (load_wizard's), downloads its mise en demeure, signs out."""

    check_owner = False  # the warm-up also checks the dossier is closed to a visitor without the account

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.last_page: Reply | None = None  # the last HTML page: its sign-out form carries the CSRF token

    @property
    def email(self) -> str:
        return f"load-{RUN}-{self.number}@dument.test"

    def get(self, path: str, expect_pdf: bool = False) -> Reply:
        reply = super().get(path, expect_pdf)
        if path == "/" and LOGOUT not in reply.text:
            raise self._fail("GET home", "the home page is not signed in")
        if not expect_pdf:
            self.last_page = reply
        return reply

    def sign_up(self) -> None:
        page = self.get("/compte/inscription")
        fields = {"name": f"Client {self.number}", "email": self.email, "password": PASSWORD, "confirm": PASSWORD}
        where = self.post(page, "/compte/inscription", "confirm", fields)
        self._expect(where, "/compte/courriel-envoye", "POST inscription")  # an unconfirmed account still signs in
        self.jar.clear()  # signed out: the measured rounds start from the sign-in form

    def sign_in(self) -> None:
        page = self.get("/compte/connexion?suivant=/")
        where = self.post(page, "/compte/connexion?suivant=/", "password", {"email": self.email, "password": PASSWORD})
        self._expect(where, "/", "POST connexion")

    def sign_out(self) -> None:
        self._expect(self.post(self.last_page, LOGOUT, LOGOUT, {}), "/", "POST deconnexion")

    def one_dossier(self, i: int) -> str:
        self.sign_in()
        token = super().one_dossier(i)  # home, new dossier, every step, review, analysis, documents (pdf_every=0)
        self.get(f"/dossier/{token}/documents/mise-en-demeure.pdf?telecharger=1", expect_pdf=True)
        self.sign_out()
        if self.check_owner:
            self._expect_closed(f"/dossier/{token}/etape/recapitulatif")
        return token

    def _expect_closed(self, path: str) -> None:
        reply = self._request("GET", path)
        if reply.status != 404:
            raise self._fail("owner check", f"GET {path} signed out: status {reply.status}, expected 404")


class SignUp(AccountUser):
    def one_dossier(self, i: int) -> str:
        self.sign_up()
        return ""


class WarmUp(AccountUser):
    check_owner = True


# --- The run -------------------------------------------------------------------------------
def set_up(port: int, users: int) -> bool:
    """Sign everyone up, then one warm-up round by two of them; False (and why) if it did not go through."""
    signups, elapsed = run_users(port, users, SETUP_SECONDS, 0, 0.0, 1, user_class=SignUp)
    posts = signups.latencies.get("POST inscription", [])
    print(
        f"Set-up: {len(posts)} sign-ups in {elapsed:.1f} s (POST p50 {percentile(posts, 50):.0f} ms, "
        f"p95 {percentile(posts, 95):.0f} ms, max {max(posts, default=0):.0f} ms; not measured)",
        flush=True,
    )
    warm, _ = run_users(port, min(2, users), SETUP_SECONDS, 0, 0.0, 1, user_class=WarmUp)
    problems = signups.reasons + warm.reasons
    if signups.iterations == users and warm.iterations == min(2, users) and not problems:
        return True
    print("Set-up failed, the scenario does not go through:", file=sys.stderr)
    for reason, count in problems.most_common(10):
        print(f"  {count:>4}  {reason}", file=sys.stderr)
    return False


def measure(server: Server, args: argparse.Namespace) -> int:
    offset = server.access_offset()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    ramp = min(2.0, args.seconds / 5)
    print(f"{args.users} users for {args.seconds:.0f} s (started over {ramp:g} s), back-to-back ...", flush=True)
    stats, elapsed = run_users(server.port, args.users, args.seconds, 0, 0.0, 10_000, ramp=ramp, user_class=AccountUser)
    return report_run(stats, elapsed, server, offset, cpu_before, f"the {args.workers} workers and PostgreSQL")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--users", type=int, help="concurrent simulated users (default 50; --quick: 5)")
    p.add_argument("--seconds", type=float, help="duration of the measured run (default 60; --quick: 10)")
    p.add_argument("--quick", action="store_true", help="a fast check: 5 users for 10 s")
    p.add_argument(
        "--database-url",
        help=f"a PostgreSQL database to use as it is (default: {LOCAL_DATABASE} on the local cluster, made anew)",
    )
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    p.add_argument("--threads", type=int, default=1, help="threads per worker; above 1: gthread workers (default 1)")
    args = p.parse_args(argv)
    args.users = args.users if args.users is not None else (5 if args.quick else 50)
    args.seconds = args.seconds if args.seconds is not None else (10.0 if args.quick else 60.0)
    if not 1 <= args.users <= MAX_USERS:
        p.error(f"--users must be between 1 and {MAX_USERS}")
    if not 0 < args.seconds <= MAX_SECONDS:
        p.error(f"--seconds must be between 0 and {MAX_SECONDS}")
    if not 1 <= args.workers <= 8 or not 1 <= args.threads <= 32:
        p.error("--workers 1..8, --threads 1..32")
    return args


def worker_kind(args: argparse.Namespace) -> str:
    if args.threads > 1:
        return f"gthread -w {args.workers} --threads {args.threads}"
    return f"sync -w {args.workers}"


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # stop the server on kill too, not only on Ctrl-C
    with tempfile.TemporaryDirectory(prefix="dument-load-") as tmp:
        server = None
        try:
            url = args.database_url or local_database()
            server = make_server(Path(tmp), url, args)
            server.start()
            server.wait_ready()
            where = f"http://{HOST}:{server.port}, database {describe(url)}"
            print(f"gunicorn {worker_kind(args)} --timeout 60 on {where}", flush=True)
            if not set_up(server.port, args.users):
                print(server.log_tail(), file=sys.stderr)
                return 2
            return measure(server, args)
        except KeyboardInterrupt:
            print("\nInterrupted; stopping the server.", file=sys.stderr)
            return 130
        except (RuntimeError, OSError, subprocess.SubprocessError) as problem:
            print(f"Could not run the load test: {problem}", file=sys.stderr)
            return 2
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    sys.exit(main())
