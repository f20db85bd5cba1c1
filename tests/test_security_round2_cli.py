"""Trust, round 2, on the command line: every bad input exits 2 with a French message, never a traceback."""

from __future__ import annotations

import copy
import os
import stat
from pathlib import Path

import pytest
import yaml

from tests.awkward_corpus import pdf
from tests.conftest import BASE_CLAIM, EXAMPLES, dument

CLAIM = EXAMPLES / "b2b-reminded.yaml"


def claim_file(folder: Path, data: dict | None = None, text: str | None = None, name: str = "creance.yaml") -> Path:
    path = folder / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data or BASE_CLAIM, allow_unicode=True), encoding="utf-8")
    return path


def refused(result, *words: str) -> None:
    """Exit 2, a French message naming the problem, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


# --- --out never replaces a device, a folder or a pipe ----------------------------------------------
@pytest.mark.parametrize("target", ["/dev/null", "/dev/full"])
def test_out_refuses_a_device(tmp_path, target):
    before = os.stat(target)
    refused(dument("render", CLAIM, "--document", "relance", "--out", target), "n'est pas un fichier ordinaire")
    after = os.stat(target)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev  # still the device


def test_out_refuses_a_folder_a_pipe_and_a_missing_folder(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    refused(dument("render", CLAIM, "--document", "relance", "--out", tmp_path), "n'est pas un fichier ordinaire")
    refused(dument("dossier", CLAIM, "--out", tmp_path / "pipe"), "n'est pas un fichier ordinaire")
    refused(dument("render", CLAIM, "--document", "relance", "--out", tmp_path / "nope" / "x.pdf"), "n'existe pas")


def test_out_replaces_an_ordinary_file(tmp_path):
    out = tmp_path / "relance.pdf"
    out.write_bytes(b"old")
    assert dument("render", CLAIM, "--document", "relance", "--out", out).returncode == 0
    assert out.read_bytes().startswith(b"%PDF")


# --- Bad input: exit 2, in French -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "suffix", "words"),
    [
        ("creditor: " + "[" * 10_000 + "]" * 10_000, ".yaml", "niveaux"),
        ("creditor:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40)), ".yaml", "niveaux"),
        ('{"creditor": ' + "[" * 10_000 + "]" * 10_000 + "}", ".json", "niveaux"),
    ],
)
def test_deep_nesting_is_refused(tmp_path, text, suffix, words):
    path = claim_file(tmp_path, text=text, name=f"creance{suffix}")
    refused(dument("assess", path), words)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"amount": "9" * 5000}, "9 999 999 999,99"),
        ({"amount": "10000000000.00"}, "9 999 999 999,99"),
        ({"issued": "9999-12-31"}, "entre 1900 et 2100"),
        ({"due": "9999-12-31"}, "entre 1900 et 2100"),
    ],
)
def test_out_of_range_values_in_the_claim_file_are_refused(tmp_path, change, words):
    data = copy.deepcopy(BASE_CLAIM)
    data["invoices"][0].update(change)
    refused(dument("assess", claim_file(tmp_path, data)), "invoices[0]", words)


@pytest.mark.parametrize("delai", ["1000000000000000000000000000000", "-5", "0", "91", "huit", "8.5"])
def test_delai_out_of_range_is_refused(tmp_path, delai):
    result = dument("render", CLAIM, "--document", "relance", "--out", tmp_path / "r.pdf", "--delai", delai)
    refused(result, "--delai", "de 1 à 90 jours")
    assert not (tmp_path / "r.pdf").exists()


def test_delai_within_range_is_used(tmp_path):
    result = dument("render", CLAIM, "--document", "mise-en-demeure", "--out", tmp_path / "m.pdf", "--delai", "90")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("on", ["9999-12-31", "1899-12-31"])
def test_a_date_option_out_of_range_is_refused(on):
    refused(dument("assess", CLAIM, "--on", on), "--on", "entre 1900 et 2100")


def test_a_latin1_claim_file_is_refused_as_the_web_import_refuses_it(tmp_path):
    path = tmp_path / "creance.yaml"
    path.write_bytes(yaml.safe_dump(BASE_CLAIM, allow_unicode=True).replace("Dupont", "Frères").encode("latin-1"))
    refused(dument("assess", path), "impossible de lire")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["assess", CLAIM, "--inconnue"], "option inconnue : --inconnue"),
        (["render", CLAIM, "--out", "x.pdf"], "--document : valeur obligatoire manquante"),
        (["render", CLAIM, "--document", "relance", "--out", "x.pdf", "--delai"], "--delai : valeur attendue"),
        (["inventee"], "commande inconnue"),
        (["assess", "/nulle/part.yaml"], "n'existe pas"),
    ],
)
def test_usage_errors_are_said_in_french(args, words):
    refused(dument(*args), words)


# --- dument dossier reads evidence outside the claim's folder only when asked -------------------------
@pytest.fixture
def outside(tmp_path) -> tuple[Path, Path]:
    """A claim in claim/ whose invoice file is ../elsewhere/f.pdf."""
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "f.pdf").write_bytes(pdf())
    folder = tmp_path / "claim"
    folder.mkdir()
    data = copy.deepcopy(BASE_CLAIM)
    data["invoices"][0]["file"] = "../elsewhere/f.pdf"
    return claim_file(folder, data), tmp_path / "dossier.pdf"


def test_dossier_refuses_evidence_outside_the_claims_folder(outside):
    path, out = outside
    refused(dument("dossier", path, "--out", out, "--on", "2026-11-23"), "invoices[0].file", "--pieces-hors-dossier")
    assert not out.exists()


def test_dossier_refuses_an_absolute_evidence_path(tmp_path):
    data = copy.deepcopy(BASE_CLAIM)
    data["invoices"][0]["file"] = "/etc/passwd"
    path = claim_file(tmp_path, data)
    refused(dument("dossier", path, "--out", tmp_path / "d.pdf", "--on", "2026-11-23"), "hors du dossier")


def test_dossier_reads_evidence_outside_when_the_user_says_so(outside):
    path, out = outside
    result = dument("dossier", path, "--out", out, "--on", "2026-11-23", "--pieces-hors-dossier")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_writing_atomically_never_replaces_a_special_file(tmp_path):
    from webapp.documents.atomic import write_atomically

    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(FileExistsError, match="pas un fichier ordinaire"):
        write_atomically(tmp_path / "pipe", b"%PDF")
    assert stat.S_ISFIFO(os.stat(tmp_path / "pipe").st_mode) and os.listdir(tmp_path) == ["pipe"]
