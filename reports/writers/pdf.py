"""PDF through LibreOffice: the Word (or Excel) file converted by ``soffice --headless``.

Offered only where LibreOffice is installed (``available()``); the README says how to install
it. Each conversion runs in its own temporary folder with its own LibreOffice profile (two at
once would otherwise share one and fail), and with a fontconfig file that maps the office fonts
the files name (仿宋_GB2312, 楷体_GB2312, 黑体, 宋体, 方正小标宋简体) to the CJK fonts installed.
A Word file is first adjusted to LibreOffice's reading of ``w:overflowPunct``
(``for_libreoffice``), so that its PDF prints like the .docx does in Word.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

TIMEOUT_SECONDS = 120
FONT_ALIASES = {
    "仿宋_GB2312": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
}


class ConversionError(RuntimeError):
    """LibreOffice is missing or did not produce the PDF (the message is Chinese)."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


# ``<w:overflowPunct w:val="…"/>`` with an explicit value (python-docx writes "0" or "1").
OVERFLOW_PUNCT = re.compile(rb'(<w:overflowPunct\b[^>]*?\bw:val=")(0|1|false|true|off|on)(")')
FLIPPED = {b"0": b"1", b"false": b"1", b"off": b"1", b"1": b"0", b"true": b"0", b"on": b"0"}


def for_libreoffice(content: bytes) -> bytes:
    """The .docx with every explicit ``w:overflowPunct`` value flipped.

    ISO/IEC 29500-1 §17.3.1.21 (and Word): ``1`` lets punctuation hang past the margin, ``0``
    keeps it inside. LibreOffice's DOCX import takes ``0`` as hanging and ``1`` as not (its
    writerfilter sets "hanging punctuation" to ``value == 0``), so the file the portal hands to
    Word users would print with hanging marks through LibreOffice. The flip is made only on the
    copy converted to PDF; parts without the element are left byte for byte.
    """
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("word/") and info.filename.endswith(".xml"):
                data = OVERFLOW_PUNCT.sub(lambda m: m[1] + FLIPPED[m[2]] + m[3], data)
            target.writestr(info, data)
    return output.getvalue()


def _fonts_conf() -> str:
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer><family>{font}</family>'
        "</prefer></alias>"
        for name, font in FONT_ALIASES.items()
    )
    return (
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"{aliases}</fontconfig>"
    )


def convert(content: bytes, extension: str) -> bytes:
    """``content`` (a .docx or .xlsx file) as PDF."""
    program = soffice()
    if program is None:
        raise ConversionError("本机未安装 LibreOffice，无法生成 PDF。")
    with tempfile.TemporaryDirectory(prefix="branch-portal-pdf-") as folder:
        work = Path(folder)
        source = work / f"document.{extension}"
        source.write_bytes(for_libreoffice(content) if extension == "docx" else content)
        (work / "fonts.conf").write_text(_fonts_conf(), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(work / "fonts.conf"), "HOME": folder}
        try:
            subprocess.run(
                [
                    program,
                    f"-env:UserInstallation=file://{work / 'profile'}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work),
                    str(source),
                ],
                env=env,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ConversionError("LibreOffice 转换超时，请稍后再试。") from error
        result = work / "document.pdf"
        if not result.is_file() or not result.stat().st_size:
            raise ConversionError("LibreOffice 未能生成 PDF。")
        return result.read_bytes()
