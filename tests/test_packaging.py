"""The built wheel carries its data and runs installed away from the checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

SERVE = """
import sys, webapp
from webapp import create_app
from webapp.web import db
from webapp.web.common import STEPS
assert not webapp.__file__.startswith(sys.argv[1]), webapp.__file__
app = create_app({"SECRET_KEY": "k", "WTF_CSRF_ENABLED": False, "DATABASE_URL": "sqlite:///" + sys.argv[2]})
db.upgrade(app)
client = app.test_client()
dossier = client.post("/nouveau").headers["Location"].split("/etape/")[0]
pages = ["/", "/compte/connexion", "/compte/inscription", "/static/css/app.css", "/static/js/app.js"]
pages += [f"{dossier}/etape/{step.slug}" for step in STEPS]
for url in pages:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
print("served", len(pages), webapp.__file__)
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment holding the wheel built from this checkout (dependencies
    borrowed from the test environment, never the checkout itself)."""
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    env_dir = work / "env"
    venv.create(env_dir, with_pip=True)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(env_dir), "platbase": str(env_dir)}))
    (site / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    wheel = next(work.glob("dument-*.whl"))
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)]
    assert subprocess.run(pip, capture_output=True, check=False).returncode == 0
    return env_dir


def test_wheel_carries_procedures_templates_and_static_files(installed):
    package = next((installed / "lib").glob("python3*/site-packages/webapp"))
    for path in (
        "_data/procedures/injonction-de-payer.yaml",
        "_data/procedures/parameters/rates.yaml",
        "_data/letter_templates/mise-en-demeure.html",
        "_data/static/css/app.css",
        "_data/static/fonts/DejaVuSerif.ttf",
        "templates/layout.html",
        "store/migrations/versions/0001_dossiers.py",
    ):
        assert (package / path).is_file(), path


def test_installed_command_renders_a_letter_from_any_directory(installed, tmp_path):
    claim = tmp_path / "creance.yaml"
    claim.write_text((EXAMPLES / "b2b-reminded.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    command = ["render", "creance.yaml", "--document", "mise-en-demeure", "--out", "mise.pdf", "--on", "2026-11-23"]
    out = subprocess.run(
        [str(installed / "bin" / "dument"), *command],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "mise.pdf").read_bytes().startswith(b"%PDF")


def test_installed_app_serves_pages_and_stylesheets(installed, tmp_path):
    out = subprocess.run(
        [str(installed / "bin" / "python"), "-c", SERVE, str(ROOT), str(tmp_path / "db.sqlite3")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "DUMENT_INSTANCE_PATH": str(tmp_path / "instance")},
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "served" in out.stdout and str(installed) in out.stdout
