"""Untrusted uploads (PDF, JPEG, PNG) checked by content and opened as a checked PDF."""

from io import BytesIO

import img2pdf
import pikepdf
from PIL import Image, ImageOps

_A4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
# Wide enough that an exhibit stamp (6 mm + 13 mm from the top) never covers the photo.
_IMAGE_BORDER = img2pdf.mm_to_pt(20)
_IMAGE_LAYOUT = img2pdf.get_layout_fun(
    _A4, border=(_IMAGE_BORDER, _IMAGE_BORDER), fit=img2pdf.FitMode.into, auto_orient=True
)
_EXIF_ORIENTATION = 0x0112
_MIRRORED_ORIENTATIONS = {2, 4, 5, 7}  # a PDF /Rotate cannot express a mirror
# qpdf warnings meaning that data was lost while recovering a damaged file.
_LOSS_WARNINGS = (
    "unexpected EOF",
    "expected endobj",
    "expected endstream",
    "EOF after endobj",
    "unable to recover stream data",
    "treating stream as empty",
    "parse error",
)
_UNREADABLE_PDF = "est un PDF endommagé qui ne peut pas être lu."
_TOO_COMPLEX = (
    "est un PDF anormalement complexe (trop d'objets) : imprimez-le en PDF ou numérisez-le, puis déposez-le à nouveau."
)
# Bounds on the work one file may cost (a 300 000-object PDF held a worker 10 s and 600 MB; a
# 9 000 × 9 000 image cost 5 s at every dossier build). A scanned 100-page invoice file has a
# few thousand objects; a 24-megapixel photo is 6 000 × 4 000.
MAX_PDF_OBJECTS = 20_000
MAX_IMAGE_PIXELS = 40_000_000
_MAX_VISITS = 50 * MAX_PDF_OBJECTS
CONTENT_TYPES = {"PDF": "application/pdf", "JPEG": "image/jpeg", "PNG": "image/png"}


class UnusableFile(ValueError):
    """The upload cannot be used; the message is the French end of a sentence about it."""


def check_upload(data: bytes, *, max_bytes: int, max_pages: int) -> str:
    """The content type of an acceptable upload; UnusableFile says why one is not.

    The one gate for every file that enters a dossier (a form's upload, a ZIP's member):
    type by content, size, damage, encryption, pages, objects and pixels.
    """
    if not data:
        raise UnusableFile("est un fichier vide.")
    if len(data) > max_bytes:
        raise UnusableFile(f"dépasse {max_bytes // (1024 * 1024)} Mo.")
    open_upload(data, max_pages=max_pages).close()
    return CONTENT_TYPES[sniff(data)]


def open_upload(data: bytes, *, max_pages: int) -> pikepdf.Pdf:
    """Open a PDF, JPEG or PNG (images become one A4 page) as a checked PDF to close after use."""
    kind = sniff(data)
    if kind is None:
        raise UnusableFile("n'est ni un PDF, ni une image JPEG ou PNG.")
    if kind != "PDF":
        data = image_to_pdf(data, kind)
    pdf = _open_pdf(data)
    try:
        _check_pages(pdf, data, max_pages)
    except BaseException:
        pdf.close()
        raise
    return pdf


def sniff(data: bytes) -> str | None:
    """File type from magic bytes ("PDF", "JPEG", "PNG"), whatever the file name says."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if b"%PDF-" in data[:1024]:  # readers accept some junk before the header
        return "PDF"
    return None


def image_to_pdf(data: bytes, kind: str) -> bytes:
    """A JPEG or PNG as one A4 page, upright per its EXIF orientation, losslessly if possible."""
    orientation = _verify_image(data, kind)
    if orientation in _MIRRORED_ORIENTATIONS:
        data = _transposed(data, kind)
    try:
        return img2pdf.convert(data, layout_fun=_IMAGE_LAYOUT, rotation=img2pdf.Rotation.ifvalid)
    except Exception as error:  # img2pdf raises many types on odd images
        raise UnusableFile("est une image illisible.") from error


def _verify_image(data: bytes, kind: str) -> int:
    """Check the image is whole, within Pillow's pixel limit; return its EXIF orientation."""
    damaged = UnusableFile("est une image endommagée ou incomplète.")
    if kind == "JPEG" and not jpeg_is_complete(data):
        raise damaged  # Pillow decodes a cut JPEG without complaint
    try:
        with Image.open(BytesIO(data)) as image:
            width, height = image.size
            if width * height > min(MAX_IMAGE_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_IMAGE_PIXELS):
                raise UnusableFile(f"est une image trop grande ({width} × {height} pixels).")
            image.verify()  # PNG: every chunk and checksum; must come first after open
        with Image.open(BytesIO(data)) as image:
            return image.getexif().get(_EXIF_ORIENTATION, 1)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UnusableFile("est une image trop grande.") from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        if isinstance(error, UnusableFile):
            raise
        raise damaged from error


def jpeg_is_complete(data: bytes) -> bool:
    """Whether the JPEG's segments and scans run to its end-of-image marker."""
    position = 2  # after the start-of-image marker
    while position + 2 <= len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xD9:  # end of image; bytes after it (motion photos) are ignored
            return True
        if marker == 0xFF:  # fill byte
            position += 1
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
        else:
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
            if marker == 0xDA:  # start of scan: skip the entropy-coded data
                position = _end_of_scan(data, position)
    return False


def _end_of_scan(data: bytes, position: int) -> int:
    """Position of the first marker after entropy-coded data, or the end of the data."""
    while (position := data.find(b"\xff", position)) != -1 and position + 1 < len(data):
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart marker
            position += 2
        elif following == 0xFF:
            position += 1
        else:
            return position
    return len(data)


def _transposed(data: bytes, kind: str) -> bytes:
    """Re-encode a mirrored image upright (the only lossy path, for rare EXIF mirrors)."""
    with Image.open(BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        buffer = BytesIO()
        upright.save(buffer, kind, **({"quality": 95} if kind == "JPEG" else {}))
    return buffer.getvalue()


def _open_pdf(data: bytes) -> pikepdf.Pdf:
    """Open with pikepdf, which rebuilds a broken cross-reference table."""
    try:
        return pikepdf.open(BytesIO(data))
    except pikepdf.PasswordError as error:
        raise UnusableFile(
            "est protégée par un mot de passe : enregistrez-la sans protection "
            "(par exemple avec « Imprimer en PDF »), puis déposez-la à nouveau."
        ) from error
    except (pikepdf.PdfError, ValueError, RuntimeError) as error:
        raise UnusableFile(_UNREADABLE_PDF) from error


def _check_pages(pdf: pikepdf.Pdf, data: bytes, max_pages: int) -> None:
    """Refuse a PDF with no page, too many pages or objects, or content lost to truncation."""
    try:
        if int(pdf.trailer.get("/Size", 0)) > MAX_PDF_OBJECTS:
            raise UnusableFile(_TOO_COMPLEX)
        count = len(pdf.pages)
        if count == 0:
            raise UnusableFile("ne contient aucune page.")
        if count > max_pages:
            raise UnusableFile(f"compte {count} pages : {max_pages} au maximum.")
        lost = _lost_objects(pdf)
    except UnusableFile:
        raise
    except (pikepdf.PdfError, ValueError, RuntimeError) as error:
        raise UnusableFile(_UNREADABLE_PDF) from error
    if lost and b"%%EOF" not in data[-1024:]:
        raise UnusableFile("est incomplète (fichier tronqué) : déposez à nouveau le fichier d'origine.")


def _lost_objects(pdf: pikepdf.Pdf) -> bool:
    """Whether objects the pages use are missing or were cut while recovering the file.

    The walk is bounded: a rebuilt cross-reference table may hold more than /Size says, and
    direct objects can nest without limit, so past ``_MAX_VISITS`` the file is refused.
    """
    warnings = list(pdf.get_warnings())
    seen: set[tuple[int, int]] = set()
    stack: list = [page.obj for page in pdf.pages]
    nulls = visits = 0
    while stack:
        visits += 1
        if visits > _MAX_VISITS or len(seen) > MAX_PDF_OBJECTS:
            raise UnusableFile(_TOO_COMPLEX)
        obj = stack.pop()
        if obj is None:
            nulls += 1
        elif isinstance(obj, pikepdf.Object) and not (obj.is_indirect and obj.objgen in seen):
            if obj.is_indirect:
                seen.add(obj.objgen)
            stack.extend(_children(obj))
    warnings += pdf.get_warnings()
    return bool(nulls) or any(marker in w for w in warnings for marker in _LOSS_WARNINGS)


def _children(obj: pikepdf.Object) -> list:
    """Direct children of a PDF object, reading stream data so that damage shows up."""
    if isinstance(obj, pikepdf.Stream):
        obj.read_raw_bytes()
        return [v for k, v in obj.stream_dict.items() if k != "/Parent"]
    if isinstance(obj, pikepdf.Dictionary):
        return [v for k, v in obj.items() if k != "/Parent"]
    if isinstance(obj, pikepdf.Array):
        return list(obj)
    return []
