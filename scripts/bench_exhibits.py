"""Benchmark: stamp + merge of 1, 20 and 50 one-page exhibits and of five 20-page exhibits (time per
exhibit page, target <= 25 ms all included), and a warm one-page letter.

Each case runs in a fresh process so that its peak RSS is its own. Prints figures only;
nothing is asserted. Usage: .venv/bin/python scripts/bench_exhibits.py
"""

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
MERGE_CASES = ((1, 1), (20, 1), (50, 1), (5, 20))  # (exhibits, pages each)
WARM_RUNS = 5
LETTER_RUNS = 20

LETTER = """<!DOCTYPE html><html lang="fr"><head><style>
@page { size: A4; margin: 20mm 18mm; @bottom-center { content: "Page " counter(page) " / " counter(pages); } }
body { font-size: 10pt; line-height: 1.4; }
.recipient { margin: 25mm 0 10mm 92mm; }
table { width: 100%; border-collapse: collapse; } td, th { border-bottom: 0.3pt solid #999; }
</style></head><body>
<p>ACME SAS — SAS au capital de 10 000 € — SIREN 123 456 789<br>12 rue de la République, 69002 Lyon</p>
<p class="recipient">BÉTA SARL<br>Service comptabilité<br>4 place Bellecour<br>69002 LYON</p>
<p>Lyon, le 1er décembre 2026</p>
<p>Réf. : FA-2026-0001 à FA-2026-0005</p>
<p><strong>Objet : mise en demeure de payer</strong></p>
<p>Lettre recommandée avec demande d'avis de réception</p>
<table><tr><th>Facture</th><th>Date</th><th>Échéance</th><th>Montant</th></tr>
ROWS</table>
PARAGRAPHS
<p>Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.</p>
</body></html>"""


def letter_html() -> str:
    """A one-page letter like the ones the app sends: addresses, invoice table, text."""
    rows = "".join(
        f"<tr><td>FA-2026-000{n}</td><td>0{n}/09/2026</td><td>0{n}/10/2026</td><td>1\u202f234,5{n}\u00a0€</td></tr>"
        for n in range(1, 6)
    )
    paragraph = (
        "<p>Malgré nos relances, les factures ci-dessus restent impayées. Nous vous mettons "
        "en demeure de régler la somme due sous huit jours, faute de quoi nous saisirons "
        "le tribunal compétent sans autre avis.</p>"
    )
    return LETTER.replace("ROWS", rows).replace("PARAGRAPHS", paragraph * 4)


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pages_of(pdf: bytes, pages: int) -> bytes:
    """The one-page ``pdf`` repeated to ``pages`` pages."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as one, pikepdf.new() as out:
        for _ in range(pages):
            out.pages.append(one.pages[0])
        buffer = io.BytesIO()
        out.save(buffer)
    return buffer.getvalue()


def bench_merge(count: int, pages: int) -> None:
    """Time stamp_and_merge on `count` generated PDFs of `pages` pages, cold then warm."""
    started = time.perf_counter()
    from webapp.documents.exhibits import Exhibit, stamp_and_merge
    from webapp.documents.pdf import html_to_pdf

    imported = time.perf_counter() - started
    invoice = pages_of(html_to_pdf(letter_html(), static_dir=STATIC, title="Facture", author="ACME"), pages)
    exhibits = [Exhibit(n, f"Facture {n}", data=invoice, filename=f"f{n}.pdf") for n in range(1, count + 1)]
    started = time.perf_counter()
    merged, _ = stamp_and_merge(exhibits, static_dir=STATIC)
    first = time.perf_counter() - started
    warm = []
    for _ in range(WARM_RUNS):
        started = time.perf_counter()
        stamp_and_merge(exhibits, static_dir=STATIC)
        warm.append(time.perf_counter() - started)
    median = statistics.median(warm)
    print(
        f"stamp+merge {count:>2} PDFs of {pages:>2} page(s): first {first * 1000:7.1f} ms, "
        f"warm median {median * 1000:7.1f} ms (of {WARM_RUNS}), "
        f"{median * 1000 / (count * pages):5.1f} ms per exhibit page, "
        f"output {len(merged) / 1024:6.0f} KB, peak RSS {peak_rss_mb():5.1f} MB "
        f"(imports {imported * 1000:.0f} ms)"
    )


def bench_letter() -> None:
    """Median warm render time of a one-page letter through html_to_pdf."""
    from webapp.documents.pdf import html_to_pdf

    html = letter_html()
    times = []
    for _ in range(LETTER_RUNS + 1):
        started = time.perf_counter()
        pdf = html_to_pdf(html, static_dir=STATIC, title="Mise en demeure", author="ACME SAS")
        times.append(time.perf_counter() - started)
    warm = times[1:]
    print(
        f"one-page letter: first {times[0] * 1000:.1f} ms, warm median "
        f"{statistics.median(warm) * 1000:.1f} ms (min {min(warm) * 1000:.1f}, max "
        f"{max(warm) * 1000:.1f}, {LETTER_RUNS} runs), {len(pdf) / 1024:.0f} KB, "
        f"peak RSS {peak_rss_mb():.1f} MB"
    )


def main() -> None:
    """Run every case in its own process."""
    if len(sys.argv) == 4 and sys.argv[1] == "--merge":
        bench_merge(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1:] == ["--letter"]:
        bench_letter()
    else:
        cases = [["--merge", str(count), str(pages)] for count, pages in MERGE_CASES] + [["--letter"]]
        for case in cases:
            subprocess.run([sys.executable, __file__, *case], check=True)


if __name__ == "__main__":
    main()
