"""The `dument assess` command: exit statuses, JSON contract, French messages, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, ROOT, dument


def test_json_output_matches_the_contract_example():
    out = dument("assess", EXAMPLES / "b2b-acknowledged.yaml", "--on", "2026-11-23", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["as_of"] == "2026-11-23"
    assert data["amounts"] == {
        "principal": "1015.78",
        "interest": "187.68",
        "indemnity": "40.00",
        "total": "1243.46",
        "provisional": False,  # 12 % is above 3 × every legal rate of the last published year
    }
    inv = data["invoices"][0]
    assert {
        k: inv[k]
        for k in (
            "number",
            "outstanding",
            "due",
            "days_late",
            "interest",
            "indemnity",
            "prescription_limit",
            "prescribed",
        )
    } == {
        "number": "F-2025-031",
        "outstanding": "1015.78",
        "due": "2025-03-31",
        "days_late": 602,
        "interest": "187.68",
        "indemnity": "40.00",
        "prescription_limit": "2030-06-02",
        "prescribed": False,
    }
    assert set(data["checks"]) == {"certain", "liquid", "due"}
    assert all(c["ok"] and c["reasons"] for c in data["checks"].values())
    assert data["prescription"]["limit"] == "2030-06-02" and data["prescription"]["prescribed"] is False
    assert data["court"]["kind"] == "tribunal des activités économiques" and data["court"]["reasons"]
    assert len(data["routes"]) == 8
    assert all({"id", "eligible", "reasons", "documents"} <= set(r) for r in data["routes"])
    assert data["next_step"] == "injonction-de-payer"


def test_plain_output_is_a_french_summary():
    out = dument("assess", EXAMPLES / "b2b-acknowledged.yaml", "--on", "2026-11-23")
    assert out.returncode == 0
    text = out.stdout.replace("\u202f", " ").replace("\xa0", " ")
    for words in (
        "TOTAL : 1 243,46 €",
        "Certaine : oui",
        "Prescription : non prescrite",
        "Prochaine étape : Injonction de payer",
        "tribunal des activités économiques",
    ):
        assert words in text


def test_invalid_claim_exits_2_naming_the_field(tmp_path):
    text = (EXAMPLES / "b2b-acknowledged.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace('siren: "552100554"', 'siren: "552100555"'), encoding="utf-8")
    out = dument("assess", path, "--on", "2026-11-23", "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    assert "debtor.siren" in out.stderr and "SIREN invalide" in out.stderr
    assert "Traceback" not in out.stderr


def test_overpayment_exits_2(tmp_path):
    text = (EXAMPLES / "b2b-acknowledged.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace('amount: "200.00"', 'amount: "5000.00"'), encoding="utf-8")
    out = dument("assess", path, "--on", "2026-11-23")
    assert out.returncode == 2 and "payments[0].amount" in out.stderr


@pytest.mark.parametrize("content", ["", "- juste\n- une liste\n", "creditor: {\n"])
def test_garbage_files_exit_2_without_traceback(tmp_path, content):
    path = tmp_path / "c.yaml"
    path.write_text(content, encoding="utf-8")
    out = dument("assess", path)
    assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr


def test_missing_file_exits_2(tmp_path):
    out = dument("assess", tmp_path / "absent.yaml")
    assert out.returncode == 2 and "impossible de lire" in out.stderr


def test_bad_date_option_is_refused():
    out = dument("assess", EXAMPLES / "b2b-acknowledged.yaml", "--on", "23/11/2026")
    assert out.returncode == 2 and "AAAA-MM-JJ" in out.stderr


def test_broken_procedures_exit_1(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "webapp.cli", "assess", str(EXAMPLES / "b2b-acknowledged.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={"DUMENT_PROCEDURES_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 1 and "fichier" in out.stderr and "Traceback" not in out.stderr


def test_console_script_is_installed():
    script = ROOT / ".venv" / "bin" / "dument"
    exe = str(script) if script.exists() else "dument"
    out = subprocess.run(
        [exe, "assess", str(EXAMPLES / "b2b-first-reminder.yaml"), "--on", "2026-11-23", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0 and json.loads(out.stdout)["next_step"] == "relance"
