"""Uploads read without losing the form: a file over the limit is discarded, the other fields kept.

Refusing the whole request (413) when a file is too large loses every field typed on the
step. Instead, the wizard's steps accept a larger request, and each file part is kept only
up to MAX_CONTENT_LENGTH: beyond it the bytes are dropped as they arrive (memory stays
bounded) and the part is marked ``too_large``, so the step is shown again with a message
next to the file field and everything else as typed.
"""

from __future__ import annotations

import io

from flask import Request, current_app

UPLOAD_PAGES = ("wizard.", "checklist.attach")  # the endpoints whose forms carry a file and typed fields


class CappedFile(io.BytesIO):
    """A file part that keeps at most ``limit`` bytes and remembers whether more came."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.too_large = False

    def write(self, data) -> int:
        if not self.too_large and self.tell() + len(data) > self.limit:
            self.too_large = True
            self.seek(0)
            self.truncate()  # nothing of it is used: free the memory at once
        if self.too_large:
            return len(data)
        return super().write(data)


class DumentRequest(Request):
    """Flask's request, with capped file parts and a larger request allowed on the wizard's steps."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and current_app and (self.endpoint or "").startswith(UPLOAD_PAGES):
            return current_app.config["WIZARD_MAX_REQUEST_BYTES"]
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        config = current_app.config
        return CappedFile(config["MAX_CONTENT_LENGTH"] or config["UPLOAD_MAX_BYTES"])


def too_large(upload) -> bool:
    """Whether an uploaded file was cut off because it exceeded what the application keeps."""
    return bool(getattr(getattr(upload, "stream", None), "too_large", False))
