"""`dument import FILE... [--out CLAIM.yaml]`: exit statuses, the claim written, French messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from tests import einvoice_samples as s
from tests.conftest import ROOT


def dument(*args, cwd) -> subprocess.CompletedProcess:
    """The `dument` command of this checkout, run from the folder of the e-invoices."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "webapp.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env
    )


@pytest.fixture
def folder(tmp_path):
    """A folder of e-invoices as an accountant hands it over: the real samples and generated ones."""
    for path in (s.FNFE_PDF, s.CII, s.UBL):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "AV-2017-0005.xml").write_bytes(s.credit_note_fnfe())
    (tmp_path / "FA-2026-0101.xml").write_bytes(s.cii())
    (tmp_path / "FA-2026-0102.ubl.xml").write_bytes(s.ubl(number="FA-2026-0102", total="600.00"))
    (tmp_path / "FA-2026-0103.pdf").write_bytes(s.facturx_pdf(number="FA-2026-0103", prepaid="100.00"))
    return tmp_path


def _claim(out) -> dict:
    assert out.returncode == 0, out.stderr
    return yaml.safe_load(out.stdout)


@pytest.mark.parametrize("sample", ["Facture_FR_BASICWL.pdf", "EN16931_Einfach.cii.xml", "EN16931_Einfach.ubl.xml"])
def test_each_real_sample_imports(folder, sample):
    claim = _claim(dument("import", sample, cwd=folder))
    (invoice,) = claim["invoices"]
    assert invoice["file"] == sample  # the path as given
    assert invoice["number"] in ("FA-2017-0010", "471102")


def test_fnfe_invoice_and_its_credit_note_make_a_claim_the_engine_assesses(folder):
    out = dument("import", "Facture_FR_BASICWL.pdf", "AV-2017-0005.xml", "--out", "claim.yaml", cwd=folder)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    assert "Créance écrite dans claim.yaml : 1 facture(s), 1 avoir(s) ; complète." in out.stderr
    assert "L441-9" in out.stderr  # the mentions the FNFE invoice lacks
    claim = yaml.safe_load((folder / "claim.yaml").read_text(encoding="utf-8"))
    assert claim["credit_notes"][0]["invoice"] == "FA-2017-0010"
    assessed = dument("assess", "claim.yaml", "--on", "2018-01-31", "--json", cwd=folder)
    assert assessed.returncode == 0, assessed.stderr
    data = json.loads(assessed.stdout)
    # 671.15 − 201.00 prepaid (settles no interest: paid on the invoice date) − 233.47 credited
    assert data["amounts"]["principal"] == "236.68"
    assert data["credit_notes"] == [
        {"number": "AV-2017-0005", "date": "2017-11-16", "amount": "233.47", "invoice": "FA-2017-0010"}
    ]
    assert data["invoices"][0]["credited"] == "233.47"


def test_a_mixed_folder_of_one_client(folder):
    out = dument("import", "FA-2026-0101.xml", "FA-2026-0102.ubl.xml", "FA-2026-0103.pdf", cwd=folder)
    claim = _claim(out)
    assert [i["number"] for i in claim["invoices"]] == ["FA-2026-0101", "FA-2026-0102", "FA-2026-0103"]
    assert claim["terms"] == {"late_penalty_rate": "12"}
    assert claim["payments"] == [{"date": "2026-09-01", "amount": "100.00", "invoice": "FA-2026-0103"}]
    assert claim["evidence"] == [
        {
            "kind": "purchase_order",
            "title": "Bon de commande n° BC-2026-77 (cité par les factures FA-2026-0101, FA-2026-0102, FA-2026-0103)",
        }
    ]


def test_fields_the_files_lack_are_named_and_the_claim_still_written(folder):
    out = dument("import", "EN16931_Einfach.cii.xml", cwd=folder)
    assert out.returncode == 0
    assert "creditor.siren : absent de la facture 471102, à compléter" in out.stderr
    assert "; à compléter." in out.stderr
    assert yaml.safe_load(out.stdout)["creditor"]["name"] == "Lieferant GmbH"


@pytest.mark.parametrize(
    "name, content, message",
    [
        *s.NOT_EINVOICES,
        ("enorme.xml", s.huge_xml, "dépasse 5 Mo"),
    ],
)
def test_awkward_files_exit_2_naming_the_file(folder, name, content, message):
    (folder / name).write_bytes(content())
    out = dument("import", "FA-2026-0101.xml", name, "--out", "claim.yaml", cwd=folder)
    assert out.returncode == 2
    assert out.stderr.startswith(f"Import impossible : {name} : ") and message in out.stderr
    assert "Traceback" not in out.stderr
    assert not (folder / "claim.yaml").exists()  # nothing written


def test_two_buyers_exit_2_naming_them(folder):
    out = dument("import", "Facture_FR_BASICWL.pdf", "FA-2026-0101.xml", cwd=folder)
    assert out.returncode == 2
    assert "plusieurs" in out.stderr and "Au bon moulin" in out.stderr and "Atelier Dupont SARL" in out.stderr
    assert "Facture_FR_BASICWL.pdf" in out.stderr and out.stdout == ""


def test_missing_file_exits_2_naming_it(folder):
    out = dument("import", "absente.xml", cwd=folder)
    assert out.returncode == 2 and "absente.xml" in out.stderr and "Traceback" not in out.stderr


def test_no_file_is_a_usage_error(folder):
    assert dument("import", cwd=folder).returncode == 2


def test_dossier_shows_an_xml_e_invoice_as_a_readable_stamped_exhibit(folder, poppler):
    out = dument("import", "Facture_FR_BASICWL.pdf", "AV-2017-0005.xml", "--out", "claim.yaml", cwd=folder)
    assert out.returncode == 0, out.stderr
    made = dument("dossier", "claim.yaml", "--out", "dossier.pdf", "--on", "2022-06-01", cwd=folder)
    assert made.returncode == 0, made.stderr
    text = subprocess.run(["pdftotext", "-layout", str(folder / "dossier.pdf"), "-"], capture_output=True, text=True)
    flat = " ".join(text.stdout.split())
    assert "Avoir n° AV-2017-0005 sur la facture n° FA-2017-0010 — 233,47 €" in flat  # the bordereau
    assert "Avoir électronique n° AV-2017-0005" in flat and "Reproduction lisible des données" in flat
    assert "Pièce n° 2" in flat


def test_minimum_profile_names_what_to_complete_as_the_contract_shows(folder):
    (folder / "min.xml").write_bytes(s.minimum_cii())
    out = dument("import", "min.xml", cwd=folder)
    assert out.returncode == 0
    assert "debtor.address : absent de la facture FA-2017-0009, à compléter" in out.stderr.splitlines()
    assert yaml.safe_load(out.stdout)["invoices"][0]["amount"] == "120.00"
