"""Looking inside base64 media without loading it whole: validity, size, magic bytes,
image dimensions and an estimate of a PDF's page count.

:func:`inspect_base64` checks a base64 string chunk by chunk (so a 30 MB image never
exists twice in memory), keeps the first decoded bytes for the header readers, and,
for PDFs, counts page objects on the way.  Nothing here raises on bad data.
"""

from __future__ import annotations

import binascii
import re
import struct
import sys

from attrs import frozen

__all__ = [
    "Base64Info",
    "inspect_base64",
    "sniff_media_type",
    "image_dimensions",
    "IMAGE_MEDIA_TYPES",
]

IMAGE_MEDIA_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")

_CHUNK = 1 << 20  # base64 characters per chunk (a multiple of 4)
_HEAD = 1 << 18  # decoded bytes kept for header parsing
_ALPHABET = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_BODY = re.compile(r"[A-Za-z0-9+/]*")
_BAD_CHAR = re.compile(r"[^A-Za-z0-9+/=]")

_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
# What the page count needs from a PDF, in one left-to-right scan: a page tree node's
# ``/Type /Pages`` marker, a ``/Count N``, and the ``>`` that ends a dictionary.
_PAGES_TOKEN = re.compile(rb"(/Type\s*/Pages\b)|/Count\s+(\d+)|>")
_TOKEN_SPAN = 64  # longer than any token above (a token may cross a chunk boundary)


class _PageTree:
    """The largest ``/Count`` found in the same dictionary as a ``/Type /Pages`` marker.

    Fed the decoded PDF chunk by chunk; every byte is matched once (plus a short overlap at
    chunk boundaries), so counting is linear however the markers are arranged.
    """

    __slots__ = ("pages", "counts", "best", "tail")

    def __init__(self) -> None:
        self.pages = False  # the open dictionary has a /Type /Pages marker
        self.counts: list[int] = []  # /Count values of the open dictionary
        self.best: int | None = None
        self.tail = b""

    def feed(self, decoded: bytes) -> None:
        window = self.tail + decoded
        skip = len(self.tail)
        for m in _PAGES_TOKEN.finditer(window):
            if m.end() <= skip:
                continue  # wholly inside the overlap: seen with the previous chunk
            if m.group(1):
                self.pages = True
            elif m.group(2):
                self.counts.append(int(m.group(2)))
            else:
                self._close()
            if self.pages and self.counts:
                self._take()
        self.tail = window[-_TOKEN_SPAN:]

    def _take(self) -> None:
        top = max(self.counts)
        self.best = top if self.best is None else max(self.best, top)
        self.counts = []

    def _close(self) -> None:
        self.pages = False
        self.counts = []


if sys.version_info >= (3, 11):

    def _decode(chunk: str) -> bytes:
        # strict mode is what base64.b64decode(data, validate=True) applies on 3.11+
        return binascii.a2b_base64(chunk, strict_mode=True)

else:  # pragma: no cover - Python 3.10: the alphabet was checked by the caller

    def _decode(chunk: str) -> bytes:
        if chunk.startswith("="):
            raise binascii.Error("Leading padding not allowed")
        return binascii.a2b_base64(chunk)


@frozen
class Base64Info:
    """What :func:`inspect_base64` found."""

    valid: bool
    error: str | None = None
    size: int = 0  # decoded bytes (exact when valid)
    head: bytes = b""
    pdf_pages: int | None = None


def inspect_base64(data: str, *, count_pdf_pages: bool = False) -> Base64Info:
    """Validate ``data`` as standard base64 and describe what it decodes to.

    Valid means what ``base64.b64decode(data, validate=True)`` accepts: only the base64
    alphabet, with at most two ``=`` at the very end, correctly padded.
    """
    n = len(data)
    if n == 0:
        return Base64Info(valid=True, size=0)
    if data.startswith("data:"):
        return Base64Info(valid=False, error="the data is a data: URL, not bare base64 (remove the 'data:...;base64,' prefix)")
    if not data.isascii():
        bad = _BAD_CHAR.search(data)
        where = bad.start() if bad else 0
        return Base64Info(valid=False, error=f"non-ASCII character at position {where}")
    head = bytearray()
    size = 0
    pages = 0
    tree = _PageTree() if count_pdf_pages else None
    tail = b""
    for start in range(0, n, _CHUNK):
        chunk = data[start : start + _CHUNK]
        last = start + _CHUNK >= n
        if not (_ALPHABET if last else _BODY).fullmatch(chunk):
            bad = _BAD_CHAR.search(chunk)
            if bad:
                return Base64Info(valid=False, error=_bad_char_message(data, start + bad.start()))
            return Base64Info(valid=False, error=f"misplaced '=' padding near position {start + chunk.find('=')}")
        try:
            decoded = _decode(chunk)
        except (binascii.Error, ValueError):
            return Base64Info(valid=False, error=f"incorrect padding (the data is {n} characters long; truncated?)")
        size += len(decoded)
        if len(head) < _HEAD:
            head += decoded[: _HEAD - len(head)]
        if tree is not None:
            window = tail + decoded
            pages += len(_PAGE.findall(window)) - len(_PAGE.findall(tail))
            tree.feed(decoded)
            tail = decoded[-64:]
    pdf_pages = None
    if tree is not None:
        if tree.best is not None:
            pdf_pages = tree.best
        elif pages:
            pdf_pages = pages
    return Base64Info(valid=True, size=size, head=bytes(head), pdf_pages=pdf_pages)


def _bad_char_message(data: str, pos: int) -> str:
    ch = data[pos]
    what = {"\n": "a newline", "\r": "a carriage return", " ": "a space", "-": "'-' (URL-safe base64?)", "_": "'_' (URL-safe base64?)"}.get(
        ch, repr(ch)
    )
    return f"{what} at position {pos} is not in the base64 alphabet"


def sniff_media_type(head: bytes) -> str | None:
    """The media type the magic bytes say, for the formats the API reads."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    return None


def image_dimensions(head: bytes, media_type: str) -> tuple[int, int] | None:
    """(width, height) from the image header, or ``None`` when the header is not readable."""
    try:
        if media_type == "image/png":
            if len(head) >= 24 and head[12:16] == b"IHDR":
                w, h = struct.unpack(">II", head[16:24])
                return w, h
            return None
        if media_type == "image/gif":
            if len(head) >= 10:
                w, h = struct.unpack("<HH", head[6:10])
                return w, h
            return None
        if media_type == "image/webp":
            return _webp_size(head)
        if media_type == "image/jpeg":
            return _jpeg_size(head)
    except struct.error:
        return None
    return None


def _webp_size(head: bytes) -> tuple[int, int] | None:
    if len(head) < 30:
        return None
    chunk = head[12:16]
    if chunk == b"VP8 ":
        # key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height
        if head[23:26] != b"\x9d\x01\x2a":
            return None
        w, h = struct.unpack("<HH", head[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L":
        if head[20] != 0x2F:
            return None
        b = head[21:25]
        w = 1 + (((b[1] & 0x3F) << 8) | b[0])
        h = 1 + (((b[3] & 0x0F) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
        return w, h
    if chunk == b"VP8X":
        w = 1 + int.from_bytes(head[24:27], "little")
        h = 1 + int.from_bytes(head[27:30], "little")
        return w, h
    return None


_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    pos = 2
    n = len(head)
    while pos + 4 <= n:
        if head[pos] != 0xFF:
            return None
        marker = head[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker == 0xD9 or marker == 0xDA:  # end of image, or scan data before any frame
            return None
        (length,) = struct.unpack(">H", head[pos + 2 : pos + 4])
        if marker in _SOF:
            if pos + 9 > n:
                return None
            h, w = struct.unpack(">HH", head[pos + 5 : pos + 9])
            return w, h
        if length < 2:
            return None
        pos += 2 + length
    return None
