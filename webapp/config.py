"""Where Dûment finds its data: procedures, templates and static files.

Paths default to the folders beside the package and can be overridden by environment
variables (DUMENT_PROCEDURES_DIR…), so the CLI, the web app and the tests agree.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def procedures_dir() -> Path:
    return Path(os.environ.get("DUMENT_PROCEDURES_DIR", ROOT / "procedures"))


def templates_dir() -> Path:
    return Path(os.environ.get("DUMENT_TEMPLATES_DIR", ROOT / "letter_templates"))


def static_dir() -> Path:
    return Path(os.environ.get("DUMENT_STATIC_DIR", ROOT / "static"))
