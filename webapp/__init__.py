"""Dûment: from "my client hasn't paid" to a court-ready file.

The legal engine lives in ``webapp.domain`` and imports no web framework; this package
root stays import-light, so ``create_app`` imports Flask only when called
(``flask --app webapp run`` finds it here).
"""


def create_app(test_config: dict | None = None):
    """Build the Flask application (see ``webapp.app``)."""
    from .app import build_app

    return build_app(test_config)
