"""Benchmark of the portfolio: a 100 000-line FEC read and summarised, the dashboard over 1 000 dossiers.

Targets (issue 16): the FEC in at most 2 s and 200 MB; the dashboard served in at most
200 ms server-side. Prints the figures, wall-clock and CPU time (on a shared machine the
CPU time says what the code costs); run from the repository root:

    .venv/bin/python scripts/bench_portfolio.py [--lines 100000] [--dossiers 1000]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AS_OF = date(2026, 11, 23)
HEADER = (
    "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|"
    "PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise"
)


def _amount(cents: int) -> str:
    """Zero-padded with a decimal comma, as Odoo writes amounts."""
    return f"{cents // 100:013d},{cents % 100:02d}"


def _line(*fields: str) -> str:
    """One FEC line: the 15 fields given, then ValidDate (the entry date) and no currency."""
    return "|".join((*fields, fields[3], "", ""))


def generate_fec(lines: int, clients: int = 1000, seed: int = 16) -> bytes:
    """A FEC of about ``lines`` lines: sales (3 lines each) and payments (2 lines), most of them lettered."""
    rng = random.Random(seed)
    out = [HEADER]
    start = date(2025, 1, 1)
    n = 0
    while len(out) <= lines:
        n += 1
        client = rng.randrange(clients)
        aux, name = f"411C{client:05d}", f"Client {client} SARL"
        day = start + timedelta(days=rng.randrange(690))
        ymd = day.strftime("%Y%m%d")
        ttc = rng.randrange(5_000, 1_000_000)
        ht = ttc * 5 // 6
        ref = f"F-{n:06d}"
        paid = rng.random() < 0.8
        letter = f"L{n:06d}" if paid else ""
        pay_day = day + timedelta(days=rng.randrange(10, 90))
        let = pay_day.strftime("%Y%m%d") if paid else ""
        zero = _amount(0)
        sale = ("VT", "Ventes", f"VT{n}", ymd)
        client_account = ("411000", "Clients", aux, name)
        out.append(_line(*sale, *client_account, ref, ymd, f"Facture {ref}", _amount(ttc), zero, letter, let))
        out.append(_line(*sale, "706000", "Prestations", "", "", ref, ymd, f"Facture {ref}", zero, _amount(ht), "", ""))
        out.append(_line(*sale, "445710", "TVA", "", "", ref, ymd, f"Facture {ref}", zero, _amount(ttc - ht), "", ""))
        if paid:
            pd = pay_day.strftime("%Y%m%d")
            bank = ("BQ", "Banque", f"BQ{n}", pd)
            out.append(_line(*bank, *client_account, f"VIR{n}", pd, ref, zero, _amount(ttc), letter, let))
            out.append(_line(*bank, "512000", "Banque", "", "", f"VIR{n}", pd, ref, _amount(ttc), zero, "", ""))
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


def bench_fec(lines: int) -> None:
    from webapp.config import procedures_dir
    from webapp.domain.fec import read_fec
    from webapp.domain.portfolio import summarise
    from webapp.domain.procedures import load_library
    from webapp.domain.risk import Thresholds

    thresholds = Thresholds.on(load_library(procedures_dir()).parameters, AS_OF)
    data = generate_fec(lines)
    newlines = data.count(b"\n")
    print(f"FEC généré : {newlines - 1} lignes, {len(data) / 1e6:.1f} Mo")
    times, cpu = [], []
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        ledger = read_fec(data, AS_OF, 30)
        result = summarise(ledger.clients, AS_OF, thresholds)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    tracemalloc.start()
    ledger = read_fec(data, AS_OF, 30)
    summarise(ledger.clients, AS_OF, thresholds)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  lu et résumé en {min(times):.2f} s (médiane {statistics.median(times):.2f} s, "
        f"temps CPU {min(cpu):.2f} s ; cible ≤ 2 s), "
        f"pic mémoire Python {peak / 1e6:.0f} Mo (cible ≤ 200 Mo, fichier compris)"
    )
    print(f"  {len(ledger.clients)} clients, encours {result.outstanding} €, {result.paid_invoices} factures payées")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "FEC.txt"
        path.write_bytes(data)
        command = [sys.executable, __file__, "--measure", str(path)]
        child = subprocess.run(command, capture_output=True, text=True, check=True)
    print(f"  pic de mémoire (RSS) d'un processus qui ne fait que lire et résumer ce FEC : {child.stdout.strip()} Mo")


def measure(path: Path) -> None:
    """Read and summarise one FEC, then print the process's peak resident memory in MB (for the parent)."""
    from webapp.config import procedures_dir
    from webapp.domain.fec import read_fec
    from webapp.domain.portfolio import summarise
    from webapp.domain.procedures import load_library
    from webapp.domain.risk import Thresholds

    thresholds = Thresholds.on(load_library(procedures_dir()).parameters, AS_OF)
    summarise(read_fec(path.read_bytes(), AS_OF, 30).clients, AS_OF, thresholds)
    print(f"{_peak_rss_mb():.0f}")


def _peak_rss_mb() -> float:
    """Peak resident memory: VmHWM (reset by exec, unlike ru_maxrss, which keeps the parent's), else ru_maxrss."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.measure)
    bench_fec(args.lines)
    with tempfile.TemporaryDirectory() as folder:
        bench_dashboard(args.dossiers, Path(folder))


def _claim(i: int, rng: random.Random) -> dict:
    """A complete claim of one to four invoices, some partly paid, against one of 300 clients."""
    invoices, payments = [], []
    for k in range(rng.randint(1, 4)):
        issued = date(2025, 6, 1) + timedelta(days=rng.randrange(500))
        number = f"F-{i:05d}-{k}"
        amount = rng.randrange(20_000, 900_000) / 100
        due = (issued + timedelta(days=30)).isoformat()
        invoices.append({"number": number, "issued": issued.isoformat(), "due": due, "amount": f"{amount:.2f}"})
        if rng.random() < 0.4:
            paid_on = issued + timedelta(days=rng.randrange(20, 120))
            if paid_on <= AS_OF:
                payments.append({"date": paid_on.isoformat(), "amount": f"{amount / 2:.2f}", "invoice": number})
    return {
        "creditor": {"name": "Atelier Dupont SARL", "kind": "company", "siren": "732829320",
                     "address": {"line1": "12 rue des Lilas", "postcode": "75011", "city": "Paris"}},
        "debtor": {"name": f"Client {i % 300} SAS", "kind": "company",
                   "address": {"line1": "3 place du Marché", "postcode": "69002", "city": "Lyon"}},
        "invoices": invoices,
        "payments": payments,
    }  # fmt: skip


def bench_dashboard(count: int, folder: Path) -> None:
    """The dashboard page over ``count`` dossiers of one account, timed in the server process."""
    from webapp import create_app
    from webapp.store import accounts, dossiers
    from webapp.web import db

    database = f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "DATABASE_URL": database})
    db.upgrade(app)
    rng = random.Random(16)
    started = time.perf_counter()
    with app.app_context():
        session = db.session()
        account = accounts.create_account(session, "bench@example.org", "Banc d'essai", "une phrase de passe solide")
        for i in range(count):
            dossiers.create(session, _claim(i, rng), owner_id=account.id)  # summarised on flush
        session.commit()
    print(f"{count} dossiers créés et résumés en {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    client.post("/compte/connexion", data={"email": "bench@example.org", "password": "une phrase de passe solide"})
    url = f"/tableau-de-bord/?au={AS_OF.isoformat()}"
    assert client.get(url).status_code == 200
    times, cpu = [], []
    for _ in range(15):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200 and b"Encours" in response.data
    print(
        f"  tableau de bord : médiane {statistics.median(times):.0f} ms, meilleur {min(times):.0f} ms, "
        f"temps CPU médian {statistics.median(cpu):.0f} ms, "
        f"pire {max(times):.0f} ms (cible ≤ 200 ms côté serveur ; {len(response.data) // 1024} Ko de HTML)"
    )
    db.engine(app).dispose()


if __name__ == "__main__":
    main()
