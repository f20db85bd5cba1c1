"""Benchmark: assess 10 000 generated claims on one core and print claims per second.

Usage: .venv/bin/python scripts/bench_assess.py [N]
Prints figures only; timings vary with the machine's load, so nothing is asserted.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp.config import procedures_dir
from webapp.domain.assessment import assess
from webapp.domain.claim_file import claim_from_data
from webapp.domain.procedures import load_library

ADDRESS = {"line1": "1 rue A", "postcode": "69002", "city": "Lyon"}
KINDS = ["company", "company", "sole_trader", "association", "consumer", "public_body"]


def generate(rng: random.Random, i: int) -> dict:
    """A realistic claim: 1-5 invoices, some payments, some history."""
    invoices, payments = [], []
    for k in range(rng.randint(1, 5)):
        issued = date(2021, 1, 1) + timedelta(days=rng.randint(0, 1900))
        amount = rng.randint(5_000, 2_000_000)
        invoices.append(
            {
                "number": f"F-{i}-{k}",
                "issued": issued.isoformat(),
                "due": (issued + timedelta(days=30)).isoformat(),
                "amount": f"{amount / 100:.2f}",
            }
        )
        if rng.random() < 0.4:
            payments.append(
                {
                    "date": (issued + timedelta(days=rng.randint(31, 200))).isoformat(),
                    "amount": f"{amount / 300:.2f}",
                    "invoice": f"F-{i}-{k}",
                }
            )
    data = {
        "creditor": {"name": "C", "kind": "company", "siren": "732829320", "address": ADDRESS},
        "debtor": {"name": "D", "kind": rng.choice(KINDS), "address": ADDRESS, "activity": "commercial"},
        "invoices": invoices,
        "payments": payments,
        "terms": {"late_penalty_rate": rng.choice([None, "12", "ecb_plus_10"])},
    }
    if rng.random() < 0.5:
        data["history"] = {
            "reminders": [{"date": "2025-01-10", "channel": "email"}],
            "formal_notice": {"sent": "2025-02-01", "received": "2025-02-03"},
        }
    return data


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    library = load_library(procedures_dir())
    rng = random.Random(42)
    raw = [generate(rng, i) for i in range(n)]
    on = date(2026, 11, 23)

    start = time.perf_counter()
    claims = [claim_from_data(d) for d in raw]
    loaded = time.perf_counter()
    for claim in claims:
        assess(claim, library, on)
    done = time.perf_counter()

    invoices = sum(len(c.invoices) for c in claims)
    print(f"claims: {n} ({invoices} invoices)")
    print(f"validate claim data: {n / (loaded - start):,.0f} claims/s")
    print(f"assess: {n / (done - loaded):,.0f} claims/s ({(done - loaded) * 1e6 / n:.0f} µs/claim)")
    print(f"validate + assess: {n / (done - start):,.0f} claims/s")


if __name__ == "__main__":
    main()
