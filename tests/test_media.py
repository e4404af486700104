"""Base64 inspection, magic bytes, image dimensions and PDF page estimates."""

from __future__ import annotations

import base64
import binascii
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.request.media import image_dimensions, inspect_base64, sniff_media_type


def png(w: int, h: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II5B", w, h, 8, 6, 0, 0, 0) + b"\0" * 4


def jpeg(w: int, h: int, app_size: int = 0) -> bytes:
    app = b"\xff\xe1" + struct.pack(">H", app_size + 2) + b"\0" * app_size if app_size else b""
    sof = b"\xff\xc2" + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\x01\x11\x00"
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + app + sof + b"\xff\xd9"


def gif(w: int, h: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", w, h) + b"\0" * 8


def webp_vp8x(w: int, h: int) -> bytes:
    payload = b"\0\0\0\0" + (w - 1).to_bytes(3, "little") + (h - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + 8 + len(payload)) + b"WEBPVP8X" + struct.pack("<I", len(payload)) + payload


def webp_vp8(w: int, h: int) -> bytes:
    frame = b"\x10\x02\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", w, h) + b"\0" * 8
    return b"RIFF" + struct.pack("<I", 4 + 8 + len(frame)) + b"WEBPVP8 " + struct.pack("<I", len(frame)) + frame


def webp_vp8l(w: int, h: int) -> bytes:
    bits = (w - 1) | ((h - 1) << 14)
    frame = b"\x2f" + struct.pack("<I", bits) + b"\0" * 8
    return b"RIFF" + struct.pack("<I", 4 + 8 + len(frame)) + b"WEBPVP8L" + struct.pack("<I", len(frame)) + frame


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(
    ("data", "media_type", "dims"),
    [
        (png(640, 480), "image/png", (640, 480)),
        (jpeg(1024, 768), "image/jpeg", (1024, 768)),
        (jpeg(9000, 10, app_size=60_000), "image/jpeg", (9000, 10)),
        (gif(320, 200), "image/gif", (320, 200)),
        (webp_vp8x(8001, 2), "image/webp", (8001, 2)),
        (webp_vp8(500, 400), "image/webp", (500, 400)),
        (webp_vp8l(300, 16000), "image/webp", (300, 16000)),
    ],
    ids=["png", "jpeg", "jpeg-exif", "gif", "webp-vp8x", "webp-vp8", "webp-vp8l"],
)
def test_sniff_and_dimensions(data: bytes, media_type: str, dims: tuple[int, int]) -> None:
    info = inspect_base64(b64(data))
    assert info.valid and info.size == len(data)
    assert sniff_media_type(info.head) == media_type
    assert image_dimensions(info.head, media_type) == dims


def test_unreadable_headers_give_no_dimensions() -> None:
    assert image_dimensions(b"\x89PNG\r\n\x1a\n", "image/png") is None
    assert image_dimensions(b"\xff\xd8\xff\xda\x00\x02", "image/jpeg") is None
    assert image_dimensions(b"RIFF\0\0\0\0WEBPVP8 ", "image/webp") is None
    assert sniff_media_type(b"hello") is None
    assert sniff_media_type(b"%PDF-1.7") == "application/pdf"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("data:image/png;base64,iVBORw0KGgo=", "data: URL"),
        ("iVBORw0K\nGgo=", "newline"),
        ("iVBO-w0KGgo=", "URL-safe"),
        ("iVBORw0KGgo", "incorrect padding"),
        ("=", "padding"),
        ("iVBORw0KGgo=AAAA", "padding"),
        ("iVBORé0KGgo=", "non-ASCII"),
    ],
)
def test_invalid_base64_is_explained(data: str, fragment: str) -> None:
    info = inspect_base64(data)
    assert not info.valid and fragment in info.error


def test_chunked_decoding_spans_chunks() -> None:
    """A payload bigger than one chunk is checked whole: a bad character late is found."""
    raw = png(10, 10) + bytes(3_000_000)
    good = b64(raw)
    assert inspect_base64(good).size == len(raw)
    bad = good[:2_500_000] + "!" + good[2_500_001:]
    info = inspect_base64(bad)
    assert not info.valid and "2500000" in info.error


def test_pdf_page_estimates() -> None:
    tree = b"%PDF-1.4\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 250 >> endobj\n"
    assert inspect_base64(b64(tree), count_pdf_pages=True).pdf_pages == 250
    pages = b"%PDF-1.4\n" + b"".join(b"%d 0 obj << /Type /Page /Parent 2 0 R >> endobj\n" % i for i in range(7))
    assert inspect_base64(b64(pages + b"<< /Type /Pages >>"), count_pdf_pages=True).pdf_pages == 7
    assert inspect_base64(b64(b"%PDF-1.7 compressed"), count_pdf_pages=True).pdf_pages is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ABCDabcd0189+/=-_ \n", max_size=40))
def test_validity_agrees_with_strict_stdlib_decoding(data: str) -> None:
    try:
        expected = base64.b64decode(data, validate=True)
        # Python 3.10's decoder accepts padding with no data ("="); later versions do not.
        ok = not data.startswith("data:") and not (data.strip() and not data.strip().strip("="))
    except (binascii.Error, ValueError):
        ok, expected = False, None
    info = inspect_base64(data)
    assert info.valid == ok, (data, info)
    if ok:
        assert info.size == len(expected) and info.head == expected[: len(info.head)]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 16383), st.integers(1, 16383), st.sampled_from(["png", "jpeg", "gif", "webp"]))
def test_dimensions_round_trip(w: int, h: int, fmt: str) -> None:
    if fmt == "gif":
        w, h = min(w, 65535), min(h, 65535)
    data = {"png": png, "jpeg": jpeg, "gif": gif, "webp": webp_vp8x}[fmt](w, h)
    head = inspect_base64(b64(data)).head
    assert image_dimensions(head, sniff_media_type(head)) == (w, h)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64), st.sampled_from(["image/png", "image/jpeg", "image/gif", "image/webp"]))
def test_header_readers_never_raise(data: bytes, media_type: str) -> None:
    image_dimensions(data, media_type)
    sniff_media_type(data)
