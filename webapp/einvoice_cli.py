"""``dument import FILE... [--out CLAIM.yaml]``: a claim file from e-invoices.

Exit status 0 when a claim was written (complete or not, the gaps named on standard
error), 2 when a file is not an e-invoice or the files name two sellers or two buyers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .domain.einvoice import MAX_PDF_BYTES, EInvoiceError, size_words
from .domain.einvoice_claim import ASSUMED_REASON, Imported, PartiesError, grouped, import_files, to_yaml
from .domain.parameters import Parameters
from .domain.parties import KIND_LABELS


class ImportRefused(click.ClickException):
    """The files cannot make a claim; shown in French, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Import impossible : {self.message}", err=True)


def run_import(paths: tuple[Path, ...], out: Path | None, params: Parameters) -> None:
    """Read the files, write the claim as YAML, name on standard error what is left to complete."""
    try:
        result = import_files([(str(p), _read(p)) for p in paths], params)
    except (EInvoiceError, PartiesError) as error:
        raise ImportRefused(str(error)) from None
    text = to_yaml(result.data)
    if out is None:
        sys.stdout.write(text)
    else:
        from .documents.atomic import write_atomically

        write_atomically(out, text.encode("utf-8"))
    _report(result, out)


def _read(path: Path) -> bytes:
    """A file's bytes, never more than the bound (a larger file is refused, naming it)."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_PDF_BYTES + 1)
    except OSError as error:
        raise ImportRefused(f"{path} : fichier introuvable ou illisible ({error.strerror}).") from None
    if len(data) > MAX_PDF_BYTES:
        raise ImportRefused(f"{path} : le fichier dépasse {size_words(MAX_PDF_BYTES)}.")
    return data


def _report(result: Imported, out: Path | None) -> None:
    for path, message in result.missing:
        click.echo(f"{path} : {message}", err=True)
    for value, paths in grouped(result.assumed).items():
        click.echo(f"{', '.join(paths)} : « {value} » ({KIND_LABELS[value]}), {ASSUMED_REASON}", err=True)
    for note in result.notes:
        click.echo(note, err=True)
    for mentions in result.mentions:
        for message in mentions.messages:
            click.echo(message, err=True)
    invoices, credits = len(result.data.get("invoices", [])), len(result.data.get("credit_notes", []))
    where = f"écrite dans {out}" if out else "écrite sur la sortie standard"
    state = "à compléter" if result.missing else "complète"
    click.echo(f"Créance {where} : {invoices} facture(s), {credits} avoir(s) ; {state}.", err=True)
