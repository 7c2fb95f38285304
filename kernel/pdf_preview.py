"""A PDF's first page as a PNG image, rendered on the server (poppler's pdftoppm).

The reviewer compares the registered signature with the request letter's at a readable size
without opening the PDF in the browser: the image carries no active content. The PDF was
parsed on upload (kernel.upload_content); pdftoppm still runs with a time limit and never
through a shell.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 20
RESOLUTION_DPI = 110  # a letter page about 935 px wide: the signature reads at its size


def available() -> bool:
    return shutil.which("pdftoppm") is not None


def first_page_png(data: bytes) -> bytes | None:
    """The first page of the PDF ``data`` as PNG bytes, or None when it cannot be rendered."""
    binary = shutil.which("pdftoppm")
    if binary is None or not data:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        target = Path(folder) / "page"
        try:
            subprocess.run(  # noqa: S603 - a fixed binary and arguments, no shell
                [
                    binary,
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-r",
                    str(RESOLUTION_DPI),
                    "-png",
                    "-singlefile",
                    str(source),
                    str(target),
                ],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
            return None
        produced = target.with_suffix(".png")
        return produced.read_bytes() if produced.exists() else None
