"""Where Dûment finds its data: procedures, letter templates and static files.

The one place that knows it. In a source checkout the data are the top-level folders
the project is known by (``procedures/``, ``letter_templates/``, ``static/``); the built
wheel carries the same folders inside the package, under ``webapp/_data/``
(``pyproject.toml``, hatchling's ``force-include``). Environment variables
(``DUMENT_PROCEDURES_DIR``…) override either, so the CLI, the web app and the tests agree.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

_PACKAGE = Path(str(files("webapp")))


def _data(name: str, variable: str) -> Path:
    if variable in os.environ:
        return Path(os.environ[variable])
    packaged = _PACKAGE / "_data" / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


def procedures_dir() -> Path:
    return _data("procedures", "DUMENT_PROCEDURES_DIR")


def templates_dir() -> Path:
    return _data("letter_templates", "DUMENT_TEMPLATES_DIR")


def static_dir() -> Path:
    return _data("static", "DUMENT_STATIC_DIR")
