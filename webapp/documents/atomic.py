"""Write output files atomically, so an error never leaves a half-written document behind."""

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path | str, data: bytes) -> None:
    """Write data to a temporary file in the same folder, fsync it, then rename it over path.

    The file is created with mode 0600 (it may hold personal data); os.replace is atomic
    on POSIX when both names are on the same file system, hence the same folder.
    """
    path = Path(path)
    if path.exists() and not path.is_file():  # renaming over /dev/null or a pipe would replace it
        raise FileExistsError(f"{path} existe et n'est pas un fichier ordinaire : rien n'a été écrit")
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if path.exists() and not path.is_file():  # it appeared meanwhile: never replace a special file
            raise FileExistsError(f"{path} existe et n'est pas un fichier ordinaire : rien n'a été écrit")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
