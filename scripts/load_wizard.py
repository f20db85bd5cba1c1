"""Load test of the guided steps under gunicorn, on loopback only (standard library only).

Starts the app under gunicorn (sync workers, ``-w 2``, ``--timeout 60``) on 127.0.0.1 and a
free port, with a fresh temporary SQLite database (``init-db`` first), then runs N simulated
browsers for a bounded time. Each one, again and again: opens the home page, starts a
dossier (POST /nouveau with the CSRF token of the home page), fills every step (GET the
form, POST valid data, follow the redirect), opens the review, the analysis and the
documents page, and every few rounds the mise en demeure PDF. The server is always stopped
at the end, also on Ctrl-C or an error.

Usage:
    .venv/bin/python scripts/load_wizard.py --quick          # 5 users, 10 s
    .venv/bin/python scripts/load_wizard.py                  # 20 users, 60 s
    .venv/bin/python scripts/load_wizard.py --users 10 --seconds 30 --think 1

Prints, per page (method and route): count, p50 / p95 / max latency seen by the client, the
errors, and p50 / p95 of the server's own time (gunicorn access log, %(D)s). An error is a
status >= 400, a connection error, a form shown again with errors after a POST
(``class="error-summary"``), or an unexpected status (a GET that redirects, a POST that does
not). Exits 1 if there was any error, 2 if the server or the scenario could not start.

The client runs on the same machine as the server, so its own CPU use competes with the
workers: client figures are pessimistic; the server columns show the time inside gunicorn.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import math
import os
import random
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"  # loopback only, by design: there is no option to aim this anywhere else
ROOT = Path(__file__).resolve().parent.parent
MAX_USERS = 200
MAX_SECONDS = 600
REQUEST_TIMEOUT = 70.0  # above gunicorn's --timeout 60, so a killed worker shows as an error, not a hang
TARGET_MS = 50.0
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"
ERROR_MARK = 'class="error-summary"'

# Pages in the order a user meets them (the table follows it).
ORDER = (
    ["GET home", "POST new dossier"]
    + [
        f"{m} step {s}"
        for s in ("creancier", "client", "factures", "paiements", "conditions", "preuves", "demarches")
        for m in ("GET", "POST")
    ]
    + ["GET step recapitulatif", "GET analyse", "GET documents", "GET med.pdf"]
)


def route_name(method: str, path: str) -> str:
    """The page a request is for, without the dossier's token: "POST step creancier", "POST connexion"."""
    path = path.split("?", 1)[0]
    if path == "/":
        label = "home"
    elif path == "/nouveau":
        label = "new dossier"
    elif m := re.fullmatch(r"/compte/([^/]+)", path):  # the account pages: sign-up, sign-in, sign-out...
        label = m.group(1)
    elif m := re.fullmatch(r"/dossier/[^/]+/etape/([^/]+)", path):
        label = f"step {m.group(1)}"
    elif m := re.fullmatch(r"/dossier/[^/]+/documents/([^/]+)\.pdf", path):
        label = "med.pdf" if m.group(1) == "mise-en-demeure" else f"{m.group(1)}.pdf"
    elif m := re.fullmatch(r"/dossier/[^/]+/([^/]+)", path):
        label = m.group(1)
    else:
        label = "other"
    return f"{method} {label}"


def is_form_page(name: str) -> bool:
    return " step " in name and not name.endswith("recapitulatif")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of unsorted values (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --- The server ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def run_checked(args: list[str], what: str, timeout: float = 120, **options) -> None:
    """Run a set-up command; RuntimeError with its output if it fails (the scenario cannot start)."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False, **options)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{done.stdout}{done.stderr}")


class Server:
    """gunicorn on a fresh SQLite database in a temporary folder, or on database_url (init-db upgrades it);
    gthread workers when threads > 1. stop() is always safe to call."""

    def __init__(self, workdir: Path, workers: int = 2, database_url: str | None = None, threads: int = 1):
        self.workdir = workdir
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.db_path = workdir / "dument.sqlite3"
        self.access_log = workdir / "access.log"
        self.server_log = workdir / "gunicorn.log"
        self.proc: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url or f"sqlite:///{self.db_path}",
            "DUMENT_SECRET_KEY": secrets.token_hex(32),
        }

    def start(self) -> None:
        run_checked([sys.executable, "-m", "flask", "--app", "webapp", "init-db"], "init-db", cwd=ROOT, env=self.env)
        with open(self.server_log, "wb") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--workers",
                    str(self.workers),
                    "--worker-class",
                    "sync",  # with --threads above 1, gunicorn runs gthread workers instead
                    "--threads",
                    str(self.threads),
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "10",
                    "--bind",
                    f"{HOST}:{self.port}",
                    "--access-logfile",
                    str(self.access_log),
                    "--access-logformat",
                    ACCESS_FORMAT,
                    "webapp:create_app()",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # its own group: Ctrl-C reaches us, and we stop it cleanly

    def wait_ready(self, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited during start-up:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {seconds:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()  # the master stops its workers gracefully
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the group gunicorn was started in, nothing else
            proc.wait(timeout=5)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.server_log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def access_offset(self) -> int:
        try:
            return self.access_log.stat().st_size
        except OSError:
            return 0

    def server_times(self, offset: int) -> dict[str, list[float]]:
        """Server-side duration (ms) per page, from the access log lines written after offset."""
        times: dict[str, list[float]] = defaultdict(list)
        try:
            with open(self.access_log, "rb") as log:
                log.seek(offset)
                text = log.read().decode("utf-8", "replace")
        except OSError:
            return times
        for line in text.splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[3].isdigit():
                times[route_name(parts[0], parts[1])].append(int(parts[3]) / 1000)
        return times


# --- One simulated browser -----------------------------------------------------------------
@dataclass
class Form:
    action: str
    enctype: str
    inputs: list[tuple[str, str, str]] = field(default_factory=list)  # (name, type, value)

    def has(self, name: str) -> bool:
        return any(n == name for n, _, _ in self.inputs)

    def hidden(self) -> list[tuple[str, str]]:
        return [(n, v) for n, t, v in self.inputs if t == "hidden"]

    def files(self) -> list[str]:
        return [n for n, t, _ in self.inputs if t == "file"]


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = Form(a.get("action", ""), a.get("enctype", "application/x-www-form-urlencoded"))
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and a.get("name"):
            self._current.inputs.append((a["name"], a.get("type", "text").lower(), a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def find_form(html: str, marker: str) -> Form | None:
    """The first form of the page with an input named marker (or whose action ends with it)."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form.has(marker) or (marker.startswith("/") and form.action.endswith(marker)):
            return form
    return None


def encode(form: Form, data: dict[str, str]) -> tuple[bytes, str]:
    """The body a browser sends: the form's hidden inputs and the data; multipart if the form says so."""
    pairs = [*form.hidden(), *data.items()]
    if form.enctype != "multipart/form-data":
        return urlencode(pairs).encode(), "application/x-www-form-urlencoded"
    boundary = f"----dumentload{uuid.uuid4().hex}"
    chunks = []
    for name, value in pairs:
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name in form.files():  # no file chosen: an empty part, as a browser sends it
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename=""\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n\r\n".encode()
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


@dataclass
class Reply:
    status: int
    body: bytes
    location: str
    error: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class StepFailed(Exception):
    """A page did not answer as it should; the error is counted, the user starts a new dossier."""


class Deadline(Exception):
    """The run is over: the user stops before its next request."""


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reasons: Counter = field(default_factory=Counter)
    iterations: int = 0

    def merge(self, other: Stats) -> None:
        for k, v in other.latencies.items():
            self.latencies[k].extend(v)
        for k, v in other.errors.items():
            self.errors[k] += v
        self.reasons.update(other.reasons)
        self.iterations += other.iterations


class User:
    """One browser: its own cookie jar, one new connection per request (sync workers close it anyway)."""

    def __init__(
        self,
        number: int,
        port: int,
        stats: Stats,
        stop: threading.Event,
        deadline: float,
        pdf_every: int,
        think: float,
        max_iterations: int,
        with_email: bool = False,
    ):
        self.number, self.port, self.stats, self.stop = number, port, stats, stop
        self.deadline, self.pdf_every, self.think, self.max_iterations = deadline, pdf_every, think, max_iterations
        self.with_email = with_email
        self.jar = http.cookiejar.CookieJar()
        self.rng = random.Random(number)

    # -- transport
    def _request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> Reply:
        url = f"http://{HOST}:{self.port}{path}"
        cookie_request = urllib.request.Request(url, method=method)  # only for the cookie jar's bookkeeping
        self.jar.add_cookie_header(cookie_request)
        headers = {"User-Agent": "dument-load/1", "Accept": "text/html,application/pdf"}
        if cookie_request.has_header("Cookie"):
            headers["Cookie"] = cookie_request.get_header("Cookie")
        if content_type:
            headers["Content-Type"] = content_type
        name = route_name(method, path)
        conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            self.jar.extract_cookies(response, cookie_request)
            reply = Reply(response.status, data, urlsplit(response.getheader("Location", "")).path)
        except (OSError, http.client.HTTPException) as problem:
            elapsed = (time.perf_counter() - started) * 1000
            reply = Reply(0, b"", "", f"connection error: {type(problem).__name__}: {problem}")
        finally:
            conn.close()
        self.stats.latencies[name].append(elapsed)
        return reply

    def _fail(self, name: str, reason: str) -> StepFailed:
        self.stats.errors[name] += 1
        self.stats.reasons[f"{name}: {reason}"[:160]] += 1
        return StepFailed(reason)

    def get(self, path: str, expect_pdf: bool = False) -> Reply:
        self._pause()
        name = route_name("GET", path)
        reply = self._request("GET", path)
        if reply.error:
            raise self._fail(name, reply.error)
        if reply.status != 200:
            where = f" -> {route_name('GET', reply.location)}" if reply.location else ""
            raise self._fail(name, f"status {reply.status}{where}")
        if expect_pdf and not reply.body.startswith(b"%PDF-"):
            raise self._fail(name, "not a PDF")
        return reply

    def post(self, page: Reply, path: str, marker: str, data: dict[str, str]) -> str:
        """Submit the form of page found by marker; return where the redirect goes."""
        self._pause()
        name = route_name("POST", path)
        form = find_form(page.text, marker)
        if form is None:
            raise self._fail(name, f"no form with {marker!r} on the page")
        body, content_type = encode(form, data)
        reply = self._request("POST", form.action or path, body, content_type)
        if reply.error:
            raise self._fail(name, reply.error)
        if reply.status == 200 and ERROR_MARK in reply.text:
            found = re.search(r'class="error-summary".*?<li>(.*?)</li>', reply.text, re.S)
            detail = re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else "?"
            raise self._fail(name, f"form errors: {detail}")
        if not 300 <= reply.status < 400 or not reply.location:
            raise self._fail(name, f"status {reply.status}, expected a redirect")
        return reply.location

    def _pause(self) -> None:
        if self.stop.is_set() or time.monotonic() >= self.deadline:
            raise Deadline
        if self.think:
            self.stop.wait(self.think * self.rng.uniform(0.5, 1.5))

    # -- the scenario
    def run(self, delay: float = 0.0) -> None:
        if self.stop.wait(delay):  # staggered start: users in lockstep would all ask for a PDF at once
            return
        iteration = 0
        while iteration < self.max_iterations:
            iteration += 1
            try:
                self.one_dossier(iteration)
                self.stats.iterations += 1
            except Deadline:
                return
            except StepFailed:
                self.stop.wait(0.2)  # do not hammer a broken server in a tight loop
            except Exception as problem:  # a bug in this script: count it, keep the run going
                self._fail("script", f"{type(problem).__name__}: {problem}")
                self.stop.wait(0.2)

    def one_dossier(self, i: int) -> str:
        """One whole dossier, from the home page to its documents; its token."""
        tag = f"{self.number}-{i}"
        home = self.get("/")
        step = self.post(home, "/nouveau", "/nouveau", {})
        token = step.split("/")[2]
        base = f"/dossier/{token}/etape"

        page = self.get(step)
        creditor = {
            "name": f"Atelier Dupont SARL {tag}",
            "kind": "company",
            "legal_form": "SARL",
            "siren": "732829320",
            "line1": "12 rue des Lilas",
            "postcode": "75011",
            "city": "Paris",
            "country": "FR",
            "signatory": "Jeanne Dupont",
        }
        if self.with_email:
            creditor["email"] = "contact@atelier-dupont.example"
        step = self.post(page, step, "siren", creditor)
        self._expect(step, f"{base}/client", "POST step creancier")

        page = self.get(step)
        step = self.post(
            page,
            step,
            "siren",
            {
                "name": f"Boulangerie Martin SAS {tag}",
                "kind": "company",
                "legal_form": "SAS",
                "line1": "3 place du Marché",
                "postcode": "69002",
                "city": "Lyon",
                "country": "FR",
                "proceedings": "none",
                "activity": "commercial",
            },
        )
        self._expect(step, f"{base}/factures", "POST step client")

        page = self.get(step)
        step = self.post(
            page,
            step,
            "number",
            {
                "number": f"F-{tag}",
                "issued": "01/03/2025",
                "due": "31/03/2025",
                "amount": "1 200,00",
                "description": "Travaux de menuiserie",
            },
        )
        self._expect(step, f"{base}/factures", "POST step factures")
        self.get(step)  # the browser follows the redirect: the list with the new invoice

        page = self.get(f"{base}/paiements")
        step = self.post(
            page, f"{base}/paiements", "amount", {"date": "10/04/2025", "amount": "200,00", "invoice": f"F-{tag}"}
        )
        self._expect(step, f"{base}/paiements", "POST step paiements")
        self.get(step)

        page = self.get(f"{base}/conditions")
        step = self.post(
            page,
            f"{base}/conditions",
            "rate",
            {
                "penalty": "three_times_legal",
                "rate": "",
                "indemnity": "yes",
                "max_discount": "10",
                "max_instalments": "6",
            },
        )
        self._expect(step, f"{base}/preuves", "POST step conditions")

        page = self.get(step)
        step = self.post(page, step, "litige-csrf_token", {"litige-contested": "no", "litige-details": ""})
        self._expect(step, f"{base}/demarches", "POST step preuves")

        page = self.get(step)
        step = self.post(
            page,
            step,
            "med-csrf_token",
            {"med-sent": "15/05/2025", "med-registered": "y", "med-received": "17/05/2025"},
        )
        self._expect(step, f"{base}/demarches", "POST step demarches")
        self.get(step)

        review = self.get(f"{base}/recapitulatif")
        if ERROR_MARK in review.text:
            raise self._fail("GET step recapitulatif", "the review says the dossier is incomplete")
        self.get(f"/dossier/{token}/analyse")
        self.get(f"/dossier/{token}/documents")
        if self.pdf_every and (i + self.number) % self.pdf_every == 0:  # users do not all ask at once
            self.get(f"/dossier/{token}/documents/mise-en-demeure.pdf", expect_pdf=True)
        return token

    def _expect(self, location: str, wanted: str, name: str) -> None:
        if location != wanted:
            raise self._fail(name, f"redirected to {route_name('GET', location)}, expected {route_name('GET', wanted)}")


def run_users(
    port: int,
    users: int,
    seconds: float,
    pdf_every: int,
    think: float,
    max_iterations: int,
    first_number: int = 1,
    with_email: bool = False,
    ramp: float = 0.0,
    user_class: type[User] = User,
) -> tuple[Stats, float]:
    """Run the users (user_class: User or a subclass) in threads until the deadline; the merged stats, the time."""
    stop = threading.Event()
    started = time.monotonic()
    deadline = started + seconds
    per_user = [Stats() for _ in range(users)]
    threads = [
        threading.Thread(
            target=user_class(
                first_number + n, port, per_user[n], stop, deadline, pdf_every, think, max_iterations, with_email
            ).run,
            args=(ramp * n / users,),
            daemon=True,
            name=f"user-{n}",
        )
        for n in range(users)
    ]
    for t in threads:
        t.start()
    try:
        hard_stop = deadline + REQUEST_TIMEOUT + 5  # a request in flight at the deadline may still finish
        for t in threads:
            while t.is_alive() and time.monotonic() < hard_stop:
                t.join(0.5)  # short joins keep Ctrl-C responsive
    finally:
        stop.set()
    elapsed = time.monotonic() - started
    total = Stats()
    for s in per_user:
        total.merge(s)
    return total, elapsed


# --- The report ----------------------------------------------------------------------------
def report(stats: Stats, server: dict[str, list[float]], elapsed: float) -> int:
    names = sorted(
        set(stats.latencies) | set(stats.errors), key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n)
    )
    header = (
        f"{'page':<26}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}   {'srv p50':>8}{'srv p95':>8}"
    )
    print(header)
    print("-" * len(header))
    for name in names:
        lat, srv = stats.latencies.get(name, []), server.get(name, [])
        print(
            f"{name:<26}{len(lat):>7}{percentile(lat, 50):>9.1f}{percentile(lat, 95):>9.1f}"
            f"{max(lat, default=0):>9.1f}{stats.errors.get(name, 0):>8}   "
            f"{percentile(srv, 50):>8.1f}{percentile(srv, 95):>8.1f}"
        )
    print("-" * len(header))
    every = [v for lat in stats.latencies.values() for v in lat]
    forms = [v for n, lat in stats.latencies.items() if is_form_page(n) for v in lat]
    forms_srv = [v for n, lat in server.items() if is_form_page(n) for v in lat]
    errors = sum(stats.errors.values())
    print(
        f"{'all requests':<26}{len(every):>7}{percentile(every, 50):>9.1f}{percentile(every, 95):>9.1f}"
        f"{max(every, default=0):>9.1f}{errors:>8}"
    )
    print(
        f"{'form pages (step *)':<26}{len(forms):>7}{percentile(forms, 50):>9.1f}{percentile(forms, 95):>9.1f}"
        f"{max(forms, default=0):>9.1f}{'':>8}   {percentile(forms_srv, 50):>8.1f}{percentile(forms_srv, 95):>8.1f}"
    )
    print()
    print(
        f"Totals: {len(every)} requests in {elapsed:.1f} s = {len(every) / elapsed:.1f} req/s; "
        f"{stats.iterations} dossiers completed; errors: {errors}"
    )
    worst = max(((percentile(lat, 95), n) for n, lat in stats.latencies.items() if is_form_page(n)), default=(0, "-"))
    verdict = "met" if worst[0] <= TARGET_MS else "MISSED"
    print(f"Target p95 <= {TARGET_MS:.0f} ms on every form page: {verdict} (worst: {worst[1]}, {worst[0]:.1f} ms)")
    if stats.reasons:
        print("\nErrors by cause:")
        for reason, count in stats.reasons.most_common(15):
            print(f"  {count:>6}  {reason}")
    return 1 if errors else 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--users", type=int, help="concurrent simulated users (default 20; --quick: 5)")
    p.add_argument("--seconds", type=float, help="duration of the measured run (default 60; --quick: 10)")
    p.add_argument("--quick", action="store_true", help="a fast check: 5 users for 10 s")
    p.add_argument(
        "--pdf-every", type=int, default=5, help="fetch the mise en demeure PDF every N dossiers (default 5; 0: never)"
    )
    p.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause before each request, in seconds (default 0: back-to-back, a stress test)",
    )
    p.add_argument(
        "--ramp",
        type=float,
        help="start the users evenly over this many seconds (default 2, at most a fifth of --seconds; counted in them)",
    )
    p.add_argument("--max-iterations", type=int, default=10_000, help="at most this many dossiers per user")
    p.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    p.add_argument(
        "--with-email",
        action="store_true",
        help="also fill the creditor's e-mail (WTForms' Email() needs the email_validator package)",
    )
    p.add_argument("--no-warmup", action="store_true", help="measure from the first request (cold workers)")
    args = p.parse_args(argv)
    args.users = args.users if args.users is not None else (5 if args.quick else 20)
    args.seconds = args.seconds if args.seconds is not None else (10.0 if args.quick else 60.0)
    if not 1 <= args.users <= MAX_USERS:
        p.error(f"--users must be between 1 and {MAX_USERS}")
    if not 0 < args.seconds <= MAX_SECONDS:
        p.error(f"--seconds must be between 0 and {MAX_SECONDS}")
    if not 1 <= args.max_iterations <= 100_000 or not 1 <= args.workers <= 8 or args.pdf_every < 0:
        p.error("--max-iterations 1..100000, --workers 1..8, --pdf-every >= 0")
    args.ramp = args.ramp if args.ramp is not None else min(2.0, args.seconds / 5)
    if not 0 <= args.think <= 10 or not 0 <= args.ramp < args.seconds:
        p.error("--think must be between 0 and 10 seconds, --ramp shorter than --seconds")
    return args


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def report_run(stats, elapsed: float, server: Server, offset: int, cpu_before, sharing: str) -> int:
    """Print the table with the server's own times, and the load client's CPU; 1 if any error."""
    time.sleep(0.3)  # let the workers flush their last access-log lines
    server_ms = server.server_times(offset)
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    print()
    status = report(stats, server_ms, elapsed)
    print(
        f"Load client's own CPU: {cpu:.1f} s in {elapsed:.1f} s ({cpu / elapsed:.0%} of one core), on "
        f"{os.cpu_count()} cores shared with {sharing}: client figures are pessimistic"
    )
    return status


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # stop the server on kill too, not only on Ctrl-C
    with tempfile.TemporaryDirectory(prefix="dument-load-") as tmp:
        server = Server(Path(tmp), workers=args.workers)
        try:
            server.start()
            server.wait_ready()
            print(
                f"gunicorn sync -w {args.workers} --timeout 60 on http://{HOST}:{server.port}, "
                f"database {server.db_path}",
                flush=True,
            )
            if not args.no_warmup:
                # Two dossiers at once with their PDF: both workers import and warm WeasyPrint, Jinja...
                warm, _ = run_users(server.port, 2, 60, 1, 0.0, 1, first_number=900, with_email=args.with_email)
                if warm.errors:
                    print("Warm-up failed, the scenario does not go through:", file=sys.stderr)
                    for reason, count in warm.reasons.most_common(10):
                        print(f"  {count:>4}  {reason}", file=sys.stderr)
                    print(server.log_tail(), file=sys.stderr)
                    return 2
            offset = server.access_offset()
            cpu_before = resource.getrusage(resource.RUSAGE_SELF)
            print(
                f"{args.users} users for {args.seconds:.0f} s (started over {args.ramp:g} s), "
                f"think {args.think:g} s, PDF every {args.pdf_every or '-'} dossiers ...",
                flush=True,
            )
            stats, elapsed = run_users(
                server.port,
                args.users,
                args.seconds,
                args.pdf_every,
                args.think,
                args.max_iterations,
                with_email=args.with_email,
                ramp=args.ramp,
            )
            return report_run(stats, elapsed, server, offset, cpu_before, f"the {args.workers} workers")
        except KeyboardInterrupt:
            print("\nInterrupted; stopping the server.", file=sys.stderr)
            return 130
        except (RuntimeError, OSError, subprocess.SubprocessError) as problem:
            print(f"Could not run the load test: {problem}", file=sys.stderr)
            return 2
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
