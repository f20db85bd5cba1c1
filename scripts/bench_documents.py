"""Benchmark the documents: a warm mise en demeure, and dossiers of 1, 20 and 50 exhibits.

Usage: .venv/bin/python scripts/bench_documents.py
Prints figures only (timings are noisy on shared machines; nothing is asserted):
- the median time to render a mise en demeure in a warm process;
- for each dossier size, in a fresh process: the wall time of the first build (after
  imports: fonts and stylesheets still to load), of a second build (warm, as in a server),
  and the process's peak memory.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def warm_letter(runs: int = 20) -> float:
    from webapp.config import procedures_dir, static_dir, templates_dir
    from webapp.documents.render import render_pdf
    from webapp.domain.assessment import assess
    from webapp.domain.claim_file import load_claim
    from webapp.domain.procedures import load_library

    library = load_library(procedures_dir())
    a = assess(load_claim(ROOT / "examples" / "b2b-acknowledged.yaml"), library, date(2026, 11, 23))

    def render() -> bytes:
        return render_pdf("mise-en-demeure", a, library, templates_dir=templates_dir(), static_dir=static_dir())

    render()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_claim(folder: Path, n: int) -> Path:
    """A claim with ``n`` invoices, each a one-page PDF file, between the example's parties."""
    from weasyprint import HTML

    from webapp.domain.claim_file import parse_document

    invoices = []
    for i in range(n):
        name = f"F-{i:03d}.pdf"
        HTML(string=f"<h1>FACTURE F-{i:03d}</h1><p>Prestation n° {i}</p>").write_pdf(folder / name)
        invoices.append(
            {"number": f"F-{i:03d}", "issued": "2026-03-01", "due": "2026-03-31", "amount": "100.00", "file": name}
        )
    example = parse_document((ROOT / "examples" / "b2b-acknowledged.yaml").read_text(encoding="utf-8"))
    claim = {
        "creditor": example["creditor"],
        "debtor": example["debtor"],
        "invoices": invoices,
        "history": {"formal_notice": {"sent": "2026-05-01"}},
    }
    path = folder / "claim.json"
    path.write_text(json.dumps(claim), encoding="utf-8")
    return path


def child(claim: str) -> None:
    """Runs in a fresh process: build one dossier, print its wall time."""
    from webapp.config import procedures_dir, static_dir, templates_dir
    from webapp.documents.dossier import build_dossier
    from webapp.domain.assessment import assess
    from webapp.domain.claim_file import load_claim
    from webapp.domain.procedures import load_library

    def build() -> bytes:
        library = load_library(procedures_dir())
        a = assess(load_claim(Path(claim)), library, date(2026, 11, 23))
        return build_dossier(
            a, library, base_dir=Path(claim).parent, templates_dir=templates_dir(), static_dir=static_dir()
        )

    start = time.perf_counter()
    pdf = build()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    build()
    warm = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"cold": cold, "warm": warm, "bytes": len(pdf), "peak_mb": peak_mb}))


def dossier_figures(n: int) -> tuple[float, float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        claim = make_claim(Path(tmp), n)
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(claim)], capture_output=True, text=True, check=True
        )
        result = json.loads(out.stdout)
        return result["cold"], result["warm"], result["peak_mb"], result["bytes"]


def main() -> None:
    print(f"mise en demeure, warm median of 20: {warm_letter() * 1000:.0f} ms")
    for n in (1, 20, 50):
        cold, warm, peak_mb, size = dossier_figures(n)
        print(
            f"dossier with {n:2d} one-page exhibits: first build in a fresh process {cold:.2f} s, "
            f"warm {warm:.2f} s, peak RSS {peak_mb:.0f} MB, {size // 1024} KB"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
