"""Bytes to text, the way SQL files reach districts: SSMS saves UTF-16 with a BOM, editors save
UTF-8 with or without one, and older tools leave Windows-1252."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BOMS = (
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Text that is mostly letters, digits and punctuation; anything past this share of control
# characters is not SQL someone wrote.
_MAX_CONTROL_SHARE = 0.01
_STRAY_CONTROL = re.compile("[\x01-\x08\x0e-\x1f\x7f]")


class NotText(ValueError):
    """The bytes do not hold SQL text."""


@dataclass(frozen=True)
class Decoded:
    """A file's text, and the encoding it was read in."""

    text: str
    encoding: str


def is_xml(text: str) -> bool:
    """Whether a text is XML (an SSRS report definition at best) rather than SQL: no T-SQL starts
    with <."""
    return text.lstrip().startswith("<")


def decode(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom):].decode(encoding), encoding)
            except UnicodeDecodeError as error:
                raise NotText(f"it starts with a {encoding} byte order mark but is not {encoding} ({error.reason} at byte {error.start + len(bom)})") from None
    guessed = _utf16_without_bom(data)
    if guessed:
        try:
            return _checked(data.decode(guessed), guessed)
        except UnicodeDecodeError:
            pass
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return _checked(data.decode("cp1252", errors="replace"), "cp1252")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly ASCII has a zero in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.4 * half and even_zeros == 0:
        return "utf-16-le"
    if even_zeros > 0.4 * half and odd_zeros == 0:
        return "utf-16-be"
    return None


def _checked(text: str, encoding: str) -> Decoded:
    if "\x00" in text:
        raise NotText("it holds NUL characters (a binary file, not SQL text)")
    controls = len(_STRAY_CONTROL.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text) + 1:
        raise NotText(f"it holds {controls} control characters (a binary file, not SQL text)")
    return Decoded(text, encoding)
