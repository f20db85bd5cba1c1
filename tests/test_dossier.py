"""The injonction de payer dossier: parts, table of contents, stamped exhibits, failures."""

from __future__ import annotations

import http.server
import re
import subprocess
import threading
from pathlib import Path
from typing import ClassVar

import pikepdf
import pytest
import yaml
from PIL import Image
from weasyprint import HTML

from tests.conftest import dument, parties

pytestmark = pytest.mark.usefixtures("poppler")


def pdf_pages(texts: list[str]) -> bytes:
    body = "".join(f"<section style='break-after: page'><h1>{t}</h1></section>" for t in texts)
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def claim_dir(tmp_path: Path, **changes) -> Path:
    """A claim with two invoices (a two-page PDF, a phone photo) and three pieces of evidence."""
    (tmp_path / "factures").mkdir()
    (tmp_path / "factures" / "F-1.pdf").write_bytes(pdf_pages(["FACTURE F-1 page un", "FACTURE F-1 page deux"]))
    Image.new("RGB", (900, 1200), "white").save(tmp_path / "factures" / "F-2.jpg", "JPEG")
    Image.new("RGB", (600, 400), "white").save(tmp_path / "devis.png", "PNG")
    (tmp_path / "bl.pdf").write_bytes(pdf_pages(["BON DE LIVRAISON"]))
    claim = {
        **parties(creditor={"name": "Atelier <b>Dupont</b> SARL"}),
        "invoices": [
            {
                "number": "F-1",
                "issued": "2026-01-05",
                "due": "2026-02-04",
                "amount": "1200.00",
                "file": "factures/F-1.pdf",
            },
            {
                "number": "F-2",
                "issued": "2026-02-05",
                "due": "2026-03-07",
                "amount": "300.00",
                "file": "factures/F-2.jpg",
            },
        ],
        "evidence": [
            {"kind": "signed_quote", "title": "Devis signé", "file": "devis.png"},
            {"kind": "delivery_note", "title": "Bon de livraison", "file": "bl.pdf"},
            {"kind": "correspondence", "title": "Courriels du client"},
        ],
        "history": {"formal_notice": {"sent": "2026-05-01", "registered": True}},
    }
    claim.update(changes)
    (tmp_path / "claim.yaml").write_text(yaml.safe_dump(claim, allow_unicode=True), encoding="utf-8")
    return tmp_path


def dossier(folder: Path):
    out = folder / "dossier.pdf"
    result = dument("dossier", str(folder / "claim.yaml"), "--out", str(out), "--on", "2026-11-23")
    return result, out


def page_texts(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
    texts = []
    for n in range(1, count + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, check=True
        ).stdout.decode()
        texts.append(re.sub(r"\s+", " ", out.replace("\u202f", " ").replace("\xa0", " ")))
    return texts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = claim_dir(tmp_path_factory.mktemp("claim"))
    result, out = dossier(folder)
    assert result.returncode == 0, result.stderr
    return page_texts(out), out


def test_parts_come_in_order_then_the_exhibits(built):
    texts, _ = built
    assert "Sommaire" in texts[0]
    first = {
        t: next(i for i, page in enumerate(texts) if i > 0 and t in page)
        for t in ("REQUÊTE EN INJONCTION DE PAYER", "DÉCOMPTE DES SOMMES DUES", "BORDEREAU DE PIÈCES")
    }
    order = [first[t] for t in ("REQUÊTE EN INJONCTION DE PAYER", "DÉCOMPTE DES SOMMES DUES", "BORDEREAU DE PIÈCES")]
    assert 0 < order[0] < order[1] < order[2]


def test_every_exhibit_page_is_stamped_in_bordereau_order(built):
    texts, _ = built
    stamped = [
        (int(m.group(1)), page)
        for page in texts
        if (m := re.search(r"Pièce n° (\d+)(?! :)", page)) and "Sommaire" not in page and "BORDEREAU" not in page
    ]
    numbers = [n for n, _ in stamped]
    assert numbers == [1, 1, 2, 3, 4]  # pieces without a file are on the Documents page, not in the court copy
    assert "p. 1/2" in stamped[0][1] and "p. 2/2" in stamped[1][1]
    assert "FACTURE F-1 page deux" in stamped[1][1]
    assert "BON DE LIVRAISON" in stamped[4][1]
    assert not any("Document à joindre" in page for page in texts)


def test_table_of_contents_gives_the_true_page_of_each_exhibit(built):
    texts, out = built
    toc = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(out), "-"], capture_output=True, check=True
    ).stdout.decode()
    rows = dict(re.findall(r"^\s+(\d)\s+\S.*?\s(\d+)(?:\s*à\s*\d+)?\s*$", toc, re.MULTILINE))
    assert sorted(rows) == ["1", "2", "3", "4"]
    for number, page in rows.items():
        assert f"Pièce n° {number}" in texts[int(page) - 1]


def test_metadata_and_user_text_escaped(built):
    texts, out = built
    with pikepdf.open(out) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Dossier d'injonction de payer — Boulangerie Martin SAS"
        assert str(pdf.docinfo["/Author"]) == "Atelier <b>Dupont</b> SARL"
        assert len(pdf.open_outline().root) >= 8
    assert any("Atelier <b>Dupont</b> SARL" in page for page in texts)


@pytest.mark.parametrize(
    ("breakage", "words"),
    [
        (lambda f: (f / "devis.png").unlink(), "La pièce n° 3 (devis.png) est introuvable"),
        (lambda f: (f / "bl.pdf").write_bytes((f / "bl.pdf").read_bytes()[:300]), "La pièce n° 4 (bl.pdf)"),
        (lambda f: (f / "bl.pdf").write_bytes(b""), "La pièce n° 4 (bl.pdf) est un fichier vide"),
    ],
)
def test_broken_evidence_names_the_file_and_leaves_no_output(tmp_path, breakage, words):
    folder = claim_dir(tmp_path)
    breakage(folder)
    result, out = dossier(folder)
    assert result.returncode == 2  # an invalid claim, as the contract says (issue 13, item 8)
    assert words in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_encrypted_evidence_is_refused_by_name(tmp_path):
    folder = claim_dir(tmp_path)
    with pikepdf.open(folder / "bl.pdf", allow_overwriting_input=True) as pdf:
        pdf.save(folder / "bl.pdf", encryption=pikepdf.Encryption(user="secret", owner="owner"))
    result, out = dossier(folder)
    assert result.returncode == 2 and "bl.pdf" in result.stderr and "mot de passe" in result.stderr
    assert not out.exists()


def test_dossier_refused_when_no_injonction_is_possible(tmp_path):
    folder = claim_dir(tmp_path, dispute={"contested": True})
    result, out = dossier(folder)
    assert result.returncode == 2 and "conteste" in result.stderr and not out.exists()


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"x")

    def log_message(self, *args):
        pass


def test_html_in_the_claim_is_text_and_nothing_is_fetched(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    payload = (
        f'<img src="file:///etc/passwd"><link rel="stylesheet" href="http://127.0.0.1:{port}/css">'
        f'<script>alert(1)</script><img src="http://127.0.0.1:{port}/img">'
    )
    folder = claim_dir(tmp_path)
    claim = yaml.safe_load((folder / "claim.yaml").read_text(encoding="utf-8"))
    claim["debtor"]["name"] = "Client " + payload
    claim["invoices"][0]["description"] = payload
    claim["evidence"][2]["title"] = payload
    (folder / "claim.yaml").write_text(yaml.safe_dump(claim, allow_unicode=True), encoding="utf-8")
    try:
        result, out = dossier(folder)
        assert result.returncode == 0, result.stderr
        for doc in ("mise-en-demeure", "decompte"):
            r = dument(
                "render",
                str(folder / "claim.yaml"),
                "--document",
                doc,
                "--out",
                str(folder / f"{doc}.pdf"),
                "--on",
                "2026-11-23",
            )
            assert r.returncode == 0, r.stderr
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.hits == []
    texts = " ".join(page_texts(out))
    assert "<script>alert(1)</script>" in texts and 'src="file:///etc/passwd"' in texts
    with pikepdf.open(out) as pdf:
        assert len(pdf.attachments) == 0
    assert b"root:" not in out.read_bytes()
