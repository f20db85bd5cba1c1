"""Exhibits of a court dossier: uploads checked by content, stamped "Pièce n° N", merged."""

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pikepdf

from webapp.documents.inert import make_inert
from webapp.documents.stamps import HEIGHT, WIDTH, Stamper, apply_stamp, stamp_labels
from webapp.documents.uploads import UnusableFile, open_upload

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 100


class ExhibitError(Exception):
    """An exhibit cannot be used; the message, in French, names the exhibit and the file."""

    def __init__(self, exhibit: "Exhibit", problem: str):
        super().__init__(f"La pièce n° {exhibit.number} ({exhibit.filename}) {problem}")
        self.number = exhibit.number
        self.filename = exhibit.filename


@dataclass(frozen=True)
class Exhibit:
    """One numbered exhibit, from a file path or from uploaded bytes with their file name."""

    number: int
    title: str
    path: Path | None = None
    data: bytes | None = field(default=None, repr=False)
    filename: str = ""

    def __post_init__(self):
        if (self.path is None) == (self.data is None):
            raise ValueError("Exhibit needs exactly one of path or data")
        if self.number < 1:
            raise ValueError(f"Exhibit number must be positive, not {self.number}")
        if not self.filename:
            if self.path is None:
                raise ValueError("Exhibit from bytes needs a filename")
            object.__setattr__(self, "filename", Path(self.path).name)


@dataclass(frozen=True)
class PageRange:
    """Where an exhibit sits in the merged exhibits PDF (1-based, inclusive)."""

    number: int
    first: int
    last: int

    @property
    def count(self) -> int:
        """Number of pages of the exhibit."""
        return self.last - self.first + 1


def load_exhibit_pages(exhibit: Exhibit, *, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PAGES) -> pikepdf.Pdf:
    """Open an exhibit as a PDF (images become A4 pages); the caller must close it.

    Raises ExhibitError when the file is empty, too big, of another type, protected by
    a password, truncated, unreadable or has too many pages.
    """
    data = _read_bounded(exhibit, max_bytes)
    try:
        return open_upload(data, max_pages=max_pages)
    except UnusableFile as problem:
        raise ExhibitError(exhibit, str(problem)) from problem


def stamp_and_merge(
    exhibits: Sequence[Exhibit],
    *,
    static_dir: Path,
    max_bytes: int = MAX_BYTES,
    max_pages: int = MAX_PAGES,
) -> tuple[bytes, list[PageRange]]:
    """Merge the exhibits, every page stamped "Pièce n° N" (and "p. k/n"), into one PDF."""
    _check_numbers(exhibits)
    with ExitStack() as stack:  # every source stays open until the output is saved
        sources = [
            stack.enter_context(load_exhibit_pages(e, max_bytes=max_bytes, max_pages=max_pages)) for e in exhibits
        ]
        counts = [len(source.pages) for source in sources]
        labels = [lab for e, n in zip(exhibits, counts, strict=True) for lab in stamp_labels(e.number, n)]
        out = stack.enter_context(pikepdf.new())
        for source in sources:
            make_inert(source)  # before copying: nothing active reaches the court dossier
            out.pages.extend(source.pages)
        make_inert(out)
        _stamp_pages(out, Stamper(out, static_dir), labels)
        _add_outline(out, exhibits, counts)
        buffer = BytesIO()
        out.save(buffer)
    return buffer.getvalue(), _page_ranges(exhibits, counts)


def _check_numbers(exhibits: Sequence[Exhibit]) -> None:
    """Refuse an empty list or duplicate numbers: the bordereau numbers each exhibit once."""
    if not exhibits:
        raise ValueError("stamp_and_merge needs at least one exhibit")
    numbers = [exhibit.number for exhibit in exhibits]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"duplicate exhibit numbers: {numbers}")


def _stamp_pages(out: pikepdf.Pdf, stamper: Stamper, labels: list[tuple[str, str]]) -> None:
    """Stamp output page i with label i (the pages were made inert beforehand)."""
    for page, (main, folio) in zip(out.pages, labels, strict=True):
        apply_stamp(page, stamper.stamp(main, folio), (WIDTH, HEIGHT))


def _add_outline(out: pikepdf.Pdf, exhibits: Sequence[Exhibit], counts: list[int]) -> None:
    """One bookmark per exhibit, so a reader can jump to "Pièce n° N"."""
    with out.open_outline() as outline:
        first = 0
        for exhibit, count in zip(exhibits, counts, strict=True):
            title = f"Pièce n° {exhibit.number} : {exhibit.title}"
            outline.root.append(pikepdf.OutlineItem(title, first))
            first += count


def _page_ranges(exhibits: Sequence[Exhibit], counts: list[int]) -> list[PageRange]:
    """Consecutive 1-based page ranges, in exhibit order."""
    ranges, first = [], 1
    for exhibit, count in zip(exhibits, counts, strict=True):
        ranges.append(PageRange(exhibit.number, first, first + count - 1))
        first += count
    return ranges


def _read_bounded(exhibit: Exhibit, max_bytes: int) -> bytes:
    """The exhibit's bytes, never reading more than max_bytes + 1 from disk."""
    if exhibit.data is not None:
        data = exhibit.data
    else:
        try:
            with open(exhibit.path, "rb") as file:
                data = file.read(max_bytes + 1)
        except OSError as error:
            raise ExhibitError(exhibit, "est introuvable ou illisible.") from error
    if not data:
        raise ExhibitError(exhibit, "est un fichier vide.")
    if len(data) > max_bytes:
        limit = max_bytes / (1024 * 1024)
        raise ExhibitError(exhibit, f"est trop volumineuse : {limit:g} Mo au maximum.")
    return data
