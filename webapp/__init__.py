"""Dûment: from "my client hasn't paid" to a court-ready file.

The legal engine lives in ``webapp.domain`` and imports no web framework; this package
root stays import-light so that the CLI and the engine load without Flask.
"""
