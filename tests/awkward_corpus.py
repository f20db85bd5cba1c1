"""A corpus of awkward files: PDFs, images and ZIP exports that once hurt (or could hurt) Dûment.

Each case is made here from scratch, so the corpus needs no download and says how it was
made. ``python -m tests.awkward_corpus`` writes the small ones to ``tests/data/awkward/``
(committed, to open by hand in other readers); the suite builds every case afresh from
these functions (``tests/test_security_round2_files.py``), the large ones included.

A case is (name, maker, words): ``words`` is what the French refusal must contain, or None
for a file that must be accepted.
"""

from __future__ import annotations

import io
import struct
import sys
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import yaml

from tests.conftest import BASE_CLAIM

OUT = Path(__file__).resolve().parent / "data" / "awkward"
COMMITTED_MAX = 200 * 1024


# --- PDFs and images -----------------------------------------------------------------------
def pdf(pages: int = 1) -> bytes:
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def cut_pdf() -> bytes:
    """Three pages of text, cut in the middle of a content stream (a download that stopped)."""
    document = pikepdf.new()
    for page in range(3):
        document.add_blank_page(page_size=(595, 842))
        text = b"".join(
            b"BT /F1 9 Tf 20 %d Td (ligne %d de la page %d) Tj ET\n" % (800 - i, i, page) for i in range(300)
        )
        document.pages[page].obj.Contents = document.make_stream(text)
    buffer = io.BytesIO()
    document.save(buffer, compress_streams=False)
    data = buffer.getvalue()
    return data[: len(data) // 2]


def encrypted_pdf() -> bytes:
    document = pikepdf.open(io.BytesIO(pdf()))
    buffer = io.BytesIO()
    document.save(buffer, encryption=pikepdf.Encryption(owner="o", user="secret"))
    return buffer.getvalue()


def no_page_pdf() -> bytes:
    buffer = io.BytesIO()
    pikepdf.new().save(buffer)
    return buffer.getvalue()


def many_objects_pdf(count: int = 300_000) -> bytes:
    """A valid one-page PDF dragging ``count`` objects (2.9 MB: it held a worker 10 s, 600 MB)."""
    document = pikepdf.new()
    document.add_blank_page()
    junk = pikepdf.Array([document.make_indirect(pikepdf.Dictionary(X=i)) for i in range(count)])
    document.pages[0].obj["/Junk"] = document.make_indirect(junk)
    buffer = io.BytesIO()
    document.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def lying_size_pdf() -> bytes:
    """Many objects behind a trailer that says there are 5: the walk itself must stop."""
    data = many_objects_pdf(60_000)
    document = pikepdf.open(io.BytesIO(data))
    buffer = io.BytesIO()
    document.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    raw = buffer.getvalue()
    start = raw.rfind(b"/Size ")
    end = start + 6
    while raw[end : end + 1].isdigit():
        end += 1
    return raw[:start] + b"/Size 5" + raw[end:]


def active_pdf() -> bytes:
    """A PDF that would run a script, launch a program and open a web address."""
    document = pikepdf.open(io.BytesIO(pdf()))
    script = document.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
    document.Root.OpenAction = script
    document.Root.AA = pikepdf.Dictionary(WC=script)
    document.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), script]))
    )
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))
    uri = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://evil.example/"))
    chained = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([0, pikepdf.Name.Fit]), Next=script)
    page = document.pages[0].obj
    page.AA = pikepdf.Dictionary(O=script)
    page.Annots = pikepdf.Array(
        [
            document.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 99, 99], A=action)
            )
            for action in (launch, uri, chained)
        ]
        + [
            document.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[0, 0, 9, 9], AA=script)
            )
        ]
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that announces width × height pixels (Pillow reads the size before any pixel)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def cut_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(buffer, "JPEG")
    return buffer.getvalue()[:-40]


FILES: list[tuple[str, Callable[[], bytes], str | None]] = [
    ("accept-plain.pdf", pdf, None),
    ("accept-active.pdf", active_pdf, None),  # accepted, then made inert before stamping
    ("refuse-encrypted.pdf", encrypted_pdf, "mot de passe"),
    ("refuse-101-pages.pdf", lambda: pdf(101), "101 pages"),
    ("refuse-no-page.pdf", no_page_pdf, "aucune page"),
    ("refuse-truncated.pdf", cut_pdf, "incomplète"),
    ("refuse-garbage.pdf", lambda: b"%PDF-1.7\n" + b"\x00junk" * 50, "endommagé"),
    ("refuse-empty.pdf", lambda: b"", "vide"),
    ("refuse-not-a-document.pdf", lambda: b"MZ\x90\x00 not a pdf", "ni un PDF"),
    ("refuse-300000-objects.pdf", many_objects_pdf, "trop d'objets"),
    ("refuse-lying-size.pdf", lying_size_pdf, "trop d'objets"),
    ("refuse-50000x50000.png", lambda: png_header(50_000, 50_000), "trop grande"),
    ("refuse-9000x9000.png", lambda: png_header(9_000, 9_000), "trop grande"),
    ("refuse-cut.jpg", cut_jpeg, "endommagée"),
]


# --- ZIP exports ---------------------------------------------------------------------------
def claim_yaml(**files: str) -> bytes:
    """A valid claim whose invoice names ``factures/F-1.pdf`` (or whatever ``invoice`` says)."""
    claim = {
        **BASE_CLAIM,
        "invoices": [{**BASE_CLAIM["invoices"][0], "file": files.get("invoice", "factures/F-1.pdf")}],
    }
    return yaml.safe_dump(claim, allow_unicode=True, sort_keys=False).encode("utf-8")


def export(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def valid_export(invoice: bytes | None = None) -> bytes:
    return export([("creance.yaml", claim_yaml()), ("factures/F-1.pdf", invoice if invoice is not None else pdf())])


def _patch(data: bytes, name: str, local: dict[int, bytes], central: dict[int, bytes]) -> bytes:
    """Overwrite fields of a member's local and central headers (offsets from each signature)."""
    raw = bytearray(data)
    encoded = name.encode()
    for signature, fields, name_at in ((b"PK\x03\x04", local, 30), (b"PK\x01\x02", central, 46)):
        start = 0
        while (start := raw.find(signature, start)) != -1:
            if raw[start + name_at : start + name_at + len(encoded)] == encoded:
                for offset, value in fields.items():
                    raw[start + offset : start + offset + len(value)] = value
                break
            start += 4
    return bytes(raw)


def bad_crc(name: str) -> bytes:
    wrong = struct.pack("<I", 0xDEADBEEF)
    return _patch(valid_export(), name, {14: wrong}, {16: wrong})


def false_size() -> bytes:
    size = struct.pack("<I", 4)
    return _patch(valid_export(), "factures/F-1.pdf", {18: size, 22: size}, {20: size, 24: size})


def encrypted_member() -> bytes:
    return _patch(valid_export(), "factures/F-1.pdf", {6: b"\x01\x00"}, {8: b"\x01\x00"})


def unknown_compression() -> bytes:
    return _patch(valid_export(), "factures/F-1.pdf", {8: b"\x63\x00"}, {10: b"\x63\x00"})


def deep_yaml(levels: int = 10_000) -> bytes:
    return export([("creance.yaml", b"creditor: " + b"[" * levels + b"]" * levels)])


def many_members(count: int) -> bytes:
    return export([("creance.yaml", claim_yaml()), *((f"pieces/junk-{i}.pdf", b"x") for i in range(count))])


def bomb() -> bytes:
    return export(
        [("creance.yaml", claim_yaml()), ("factures/F-1.pdf", b"\x00" * (10 * 1024 * 1024))], zipfile.ZIP_DEFLATED
    )


def renamed(path: str) -> bytes:
    return export([("creance.yaml", claim_yaml(invoice=path)), (path, pdf())])


def latin1_claim() -> bytes:
    text = claim_yaml().decode("utf-8").replace("Atelier Dupont SARL", "Atelier Dupont Frères SARL")
    return export([("creance.yaml", text.encode("latin-1")), ("factures/F-1.pdf", pdf())])


def duplicate_names() -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it is asked to write
        archive.writestr("creance.yaml", claim_yaml())
        archive.writestr("factures/F-1.pdf", pdf())
        archive.writestr("factures/F-1.pdf", pdf(2))
    return buffer.getvalue()


def billion_laughs() -> bytes:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)]
    return export([("creance.yaml", "\n".join(lines).encode())])


ZIPS: list[tuple[str, Callable[[], bytes], str | None]] = [
    ("accept-export.zip", valid_export, None),
    ("refuse-bad-crc-file.zip", lambda: bad_crc("factures/F-1.pdf"), "factures/F-1.pdf"),
    ("refuse-bad-crc-claim.zip", lambda: bad_crc("creance.yaml"), "creance.yaml"),
    ("refuse-false-size.zip", false_size, "factures/F-1.pdf"),
    ("refuse-encrypted-member.zip", encrypted_member, "chiffré"),
    ("refuse-unknown-compression.zip", unknown_compression, "méthode"),
    ("refuse-deep-yaml.zip", deep_yaml, "niveaux"),
    ("refuse-billion-laughs.zip", billion_laughs, "niveaux"),
    ("refuse-5000-members.zip", lambda: many_members(5_000), "500 au maximum"),
    ("refuse-12000-members.zip", lambda: many_members(12_000), "500 au maximum"),
    ("refuse-bomb.zip", bomb, "anormalement compressé"),
    ("refuse-windows-dotdot.zip", lambda: renamed("..\\..\\evil.pdf"), "chemin refusé"),
    ("refuse-windows-drive.zip", lambda: renamed("C:/Windows/evil.pdf"), "chemin refusé"),
    ("refuse-absolute.zip", lambda: renamed("/etc/evil.pdf"), "chemin refusé"),
    ("refuse-dotdot.zip", lambda: renamed("../evil.pdf"), "chemin refusé"),
    ("refuse-latin1-claim.zip", latin1_claim, "UTF-8"),
    ("refuse-duplicate-names.zip", duplicate_names, "deux fois"),
    ("refuse-missing-file.zip", lambda: export([("creance.yaml", claim_yaml())]), "absent"),
    ("refuse-not-a-zip.zip", lambda: b"PK\x03\x04 but nothing else", "archive ZIP"),
    # The same checks as an upload, for each file of the archive:
    ("refuse-101-pages-inside.zip", lambda: valid_export(pdf(101)), "101 pages"),
    ("refuse-encrypted-pdf-inside.zip", lambda: valid_export(encrypted_pdf()), "mot de passe"),
    ("refuse-huge-png-inside.zip", lambda: valid_export(png_header(50_000, 50_000)), "trop grande"),
    ("refuse-not-a-document-inside.zip", lambda: valid_export(b"<html>hello</html>"), "ni un PDF"),
    ("refuse-300000-objects-inside.zip", lambda: valid_export(many_objects_pdf()), "trop d'objets"),
]


def write(folder: Path = OUT) -> list[Path]:
    """Write every case small enough to commit; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make, _ in FILES + ZIPS:
        data = make()
        if len(data) <= COMMITTED_MAX:
            (folder / name).write_bytes(data)
            written.append(folder / name)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
