"""Benchmark: the warm time to import one e-invoice (read, parse, map to a claim), per format.

Usage: .venv/bin/python scripts/bench_einvoice.py [N]
Target: at most 50 ms per imported e-invoice, warm. Prints figures only; timings vary with
the machine's load, so nothing is asserted.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import einvoice_samples as samples
from webapp.config import procedures_dir
from webapp.domain.einvoice_claim import import_files
from webapp.domain.procedures import load_library

TARGET_MS = 50


def cases() -> dict[str, list[tuple[str, bytes]]]:
    """One file of each kind, and a folder of 20 invoices of one client (mixed formats)."""
    folder = [(f"FA-{i}.xml", samples.cii(number=f"FA-2026-{i:04d}")) for i in range(7)]
    folder += [(f"FA-{i}.ubl.xml", samples.ubl(number=f"FA-2026-{i:04d}")) for i in range(7, 14)]
    folder += [(f"FA-{i}.pdf", samples.facturx_pdf(number=f"FA-2026-{i:04d}")) for i in range(14, 20)]
    return {
        "Factur-X PDF (FNFE, BASIC WL)": [("fnfe.pdf", samples.FNFE_PDF.read_bytes())],
        "Factur-X PDF (EN 16931, généré)": [("fx.pdf", samples.facturx_pdf())],
        "CII XML (EN 16931)": [("a.cii.xml", samples.CII.read_bytes())],
        "UBL XML (EN 16931)": [("a.ubl.xml", samples.UBL.read_bytes())],
        "dossier de 20 factures (CII, UBL, PDF)": folder,
    }


def main(n: int) -> None:
    params = load_library(procedures_dir()).parameters
    print(f"Import d'e-factures, à chaud, {n} répétitions ; objectif ≤ {TARGET_MS} ms par facture")
    print(f"{'cas':42} {'médiane/facture':>16} {'moyenne/facture':>16} {'max/facture':>12}")
    for name, files in cases().items():
        import_files(files, params)  # warm: imports, XSD-free parser set-up, caches
        per_invoice = []
        for _ in range(n):
            start = time.perf_counter()
            import_files(files, params)
            per_invoice.append((time.perf_counter() - start) * 1000 / len(files))
        median, mean, worst = statistics.median(per_invoice), statistics.fmean(per_invoice), max(per_invoice)
        flag = "" if median <= TARGET_MS else "  > objectif"
        print(f"{name:42} {median:13.2f} ms {mean:13.2f} ms {worst:9.2f} ms{flag}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
