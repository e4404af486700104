"""Image and document rules (``I``): base64 payloads, their bytes, sizes and counts."""

from __future__ import annotations

import base64
import struct
from collections.abc import Iterator
from typing import Any

from transcript.core.diagnostics import Diagnostic, Location
from transcript.core.registry import rule
from transcript.request.context import MediaBlock, RequestContext
from transcript.request.media import (
    Base64Info,
    image_dimensions,
    inspect_base64,
    sniff_media_type,
)

MAX_IMAGE_BASE64 = 5 * 1024 * 1024
MAX_DIMENSION = 8000
MANY_IMAGES = 20
MANY_IMAGES_MAX_DIMENSION = 2000
MAX_MEDIA = 100
MAX_PDF_PAGES = 100


# -- example payloads: headers of real formats, built here so the examples stay readable ----
def _png(width: int, height: int, pad: int = 0) -> str:
    ihdr = struct.pack(">II5B", width, height, 8, 2, 0, 0, 0)
    raw = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0\0\0\0"
    if pad:
        raw += struct.pack(">I", pad) + b"IDAT" + bytes(pad) + b"\0\0\0\0"
    raw += struct.pack(">I", 0) + b"IEND\xaeB`\x82"
    return base64.b64encode(raw).decode("ascii")


def _jpeg() -> str:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 64, 64, 1) + b"\x01\x11\x00"
    return base64.b64encode(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof + b"\xff\xd9").decode()


def _pdf(pages: int) -> str:
    body = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    body += b"2 0 obj << /Type /Pages /Count %d /Kids [] >> endobj\n%%%%EOF\n" % pages
    return base64.b64encode(body).decode("ascii")


def _image(data: str, media_type: str = "image/png") -> str:
    return f'{{"type": "image", "source": {{"type": "base64", "media_type": "{media_type}", "data": "{data}"}}}}'


def _req(blocks: str) -> str:
    return (
        '{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": ['
        + blocks
        + ', {"type": "text", "text": "Describe this."}]}]}'
    )


def _base64_media(ctx: RequestContext) -> list[tuple[MediaBlock, str, str]]:
    """(media block, pointer to its data, declared media type) for every base64 source."""
    out = ctx.cache.get("base64_media")
    if out is None:
        out = []
        for media in ctx.media:
            source = media.block.get("source")
            if not isinstance(source, dict) or source.get("type") != "base64" or not isinstance(source.get("data"), str):
                continue
            declared = source.get("media_type")
            out.append((media, media.pointer + "/source/data", declared if isinstance(declared, str) else ""))
        ctx.cache["base64_media"] = out
    return out


def _inspect(ctx: RequestContext, media: MediaBlock) -> Base64Info:
    infos: dict[str, Base64Info] = ctx.cache.setdefault("base64_info", {})
    info = infos.get(media.pointer)
    if info is None:
        source = media.block["source"]
        is_pdf = media.kind == "document" and source.get("media_type") == "application/pdf"
        info = inspect_base64(source["data"], count_pdf_pages=is_pdf)
        infos[media.pointer] = info
    return info


def _dimensions(ctx: RequestContext, media: MediaBlock, declared: str) -> tuple[int, int] | None:
    info = _inspect(ctx, media)
    if not info.valid or info.size == 0:
        return None
    actual = sniff_media_type(info.head) or declared
    return image_dimensions(info.head, actual)


@rule(
    "I001",
    "media-type-mismatch",
    severity="error",
    summary="The bytes of an image or PDF do not match its declared `media_type`.",
    explanation="""
        The server reads the magic bytes (PNG `89 50 4E 47`, JPEG `FF D8 FF`, GIF `GIF8`,
        WEBP `RIFF....WEBP`, PDF `%PDF-`) and rejects a mismatch: ``The image was specified
        using the image/jpeg media type, but the image appears to be a image/png image``
        (anthropics/claude-code#15746, vybestack/llxprt-code#2130; older text: `Image does
        not match the provided media type image/jpeg`).  Data that is no image at all is
        reported too.
    """,
    bad=_req(_image(_png(64, 64), "image/jpeg")),
    good=_req(_image(_jpeg(), "image/jpeg")),
    runner="request",
)
def media_type_mismatch(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    for media, pointer, declared in _base64_media(ctx):
        info = _inspect(ctx, media)
        if not info.valid or info.size == 0:
            continue
        actual = sniff_media_type(info.head)
        if media.kind == "image":
            if actual is None or actual == "application/pdf":
                yield media_type_mismatch.rule.diagnostic(
                    f"The image was specified using the {declared or '(missing)'} media type, but the data is not "
                    "a PNG, JPEG, GIF or WEBP image",
                    Location(pointer=pointer),
                )
            elif declared and actual != declared:
                yield media_type_mismatch.rule.diagnostic(
                    f"The image was specified using the {declared} media type, but the image appears to be a {actual} image",
                    Location(pointer=pointer),
                    hint=f'set "media_type": "{actual}"',
                )
        elif declared == "application/pdf" and actual != "application/pdf":
            yield media_type_mismatch.rule.diagnostic(
                "The document was specified using the application/pdf media type, but the data is not a PDF"
                + (f" (it appears to be {actual})" if actual else ""),
                Location(pointer=pointer),
            )


@rule(
    "I002",
    "invalid-base64",
    severity="error",
    summary="Base64 image or document data does not decode.",
    explanation="""
        `messages.2.content.0.tool_result.content.0.image.source.base64: invalid base64
        data` (anthropics/anthropic-sdk-typescript#603).  A common cause is a `data:` URL
        prefix (`data:image/png;base64,...`) left in front of the payload
        (felixarntz/ai-services PR#19); others are line breaks, URL-safe characters (`-`,
        `_`) and missing `=` padding.  The data must be standard, padded base64.
    """,
    bad=_req(_image("data:image/png;base64," + _png(64, 64))),
    good=_req(_image(_png(64, 64))),
    runner="request",
)
def invalid_base64(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    for media, pointer, _ in _base64_media(ctx):
        info = _inspect(ctx, media)
        if not info.valid:
            yield invalid_base64.rule.diagnostic(
                f"{'image' if media.kind == 'image' else 'document'}.source.base64: invalid base64 data: {info.error}",
                Location(pointer=pointer),
            )


@rule(
    "I003",
    "empty-media-data",
    severity="error",
    summary="An image or document has empty base64 data.",
    explanation="""
        `messages.118.content.4.image.source.base64: image cannot be empty`
        (anthropics/claude-code#12750).  Usually a screenshot or file read that failed
        upstream; drop the block or fix the reader.
    """,
    bad=_req(_image("")),
    good=_req(_image(_png(64, 64))),
    runner="request",
)
def empty_media(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    for media, pointer, _ in _base64_media(ctx):
        if media.block["source"]["data"] == "":
            yield empty_media.rule.diagnostic(f"{media.kind} cannot be empty", Location(pointer=pointer))


@rule(
    "I004",
    "image-too-large",
    severity="error",
    summary="A base64 image is over the 5 MB limit.",
    explanation="""
        `messages.58.content.2.image.source.base64: image exceeds 5 MB maximum: 6500712
        bytes > 5242880 bytes` (gptme/gptme#185, anthropics/claude-code#11181).  The figure
        the server compares appears to be the length of the base64 string (reports show
        images under 5 MB on disk failing), so transcript checks that length.  Resize or
        recompress the image, or send it through the Files API.
    """,
    bad=_req(_image(_png(1024, 1024, pad=3_932_200))),
    good=_req(_image(_png(64, 64))),
    runner="request",
)
def image_too_large(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    for media, pointer, _ in _base64_media(ctx):
        size = len(media.block["source"]["data"])
        if media.kind == "image" and size > MAX_IMAGE_BASE64:
            yield image_too_large.rule.diagnostic(
                f"image exceeds 5 MB maximum: {size} bytes > {MAX_IMAGE_BASE64} bytes",
                Location(pointer=pointer),
                hint="resize or recompress the image, or upload it with the Files API",
            )


@rule(
    "I005",
    "image-dimensions-too-large",
    severity="error",
    summary="An image is wider or taller than 8000 pixels.",
    explanation="""
        `messages.7.content.3.image.source.base64.data: At least one of the image dimensions
        exceed max allowed size: 8000 pixels` (anthropics/claude-code#4778, #5147).
        transcript reads the width and height from the PNG, JPEG, GIF or WEBP header.
    """,
    bad=_req(_image(_png(8001, 600))),
    good=_req(_image(_png(8000, 600))),
    runner="request",
)
def image_dimensions_too_large(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    for media, pointer, declared in _base64_media(ctx):
        if media.kind != "image":
            continue
        dims = _dimensions(ctx, media, declared)
        if dims and max(dims) > MAX_DIMENSION:
            yield image_dimensions_too_large.rule.diagnostic(
                f"At least one of the image dimensions exceed max allowed size: {MAX_DIMENSION} pixels "
                f"(the image is {dims[0]}x{dims[1]})",
                Location(pointer=pointer),
            )


@rule(
    "I006",
    "many-images-dimensions-too-large",
    severity="error",
    summary="With more than 20 images in a request, an image is over 2000 pixels.",
    explanation="""
        `messages.59.content.12.image.source.base64.data: At least one of the image
        dimensions exceed max allowed size for many-image requests: 2000 pixels`
        (langgenius/dify#11177, anthropics/claude-code#9375, #24630).  The count includes
        every image in the request: earlier turns and images inside tool results.  This is
        the usual way long agent sessions get stuck: downsize old screenshots or drop them.
    """,
    bad=_req(", ".join([_image(_png(2001, 100))] + [_image(_png(100, 100))] * 20)),
    good=_req(", ".join([_image(_png(2000, 100))] + [_image(_png(100, 100))] * 20)),
    runner="request",
)
def many_images_dimensions(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    count = ctx.image_count
    if count <= MANY_IMAGES:
        return
    for media, pointer, declared in _base64_media(ctx):
        if media.kind != "image":
            continue
        dims = _dimensions(ctx, media, declared)
        if dims and MANY_IMAGES_MAX_DIMENSION < max(dims) <= MAX_DIMENSION:
            yield many_images_dimensions.rule.diagnostic(
                "At least one of the image dimensions exceed max allowed size for many-image requests: "
                f"{MANY_IMAGES_MAX_DIMENSION} pixels (the image is {dims[0]}x{dims[1]}; the request has {count} images)",
                Location(pointer=pointer),
                hint="downsize or drop images from earlier turns",
            )


@rule(
    "I007",
    "too-many-media",
    severity="error",
    summary="More than 100 images and documents in one request.",
    explanation="""
        `too many images and documents: 104 + 1 > 100`, also worded `Too much media: 0
        document pages + 103 images > 100` (anthropics/claude-code#3397, #23392, #24541;
        reported without a field path).  Every image and document block counts, including
        those inside tool results.
    """,
    bad=_req(", ".join([_image(_png(10, 10))] * 101)),
    good=_req(", ".join([_image(_png(10, 10))] * 100)),
    runner="request",
)
def too_many_media(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    media = ctx.media
    if len(media) > MAX_MEDIA:
        images = ctx.image_count
        yield too_many_media.rule.diagnostic(
            f"too many images and documents: {images} + {len(media) - images} > {MAX_MEDIA}",
            Location(pointer=media[MAX_MEDIA].pointer),
        )


@rule(
    "I008",
    "pdf-too-many-pages",
    severity="error",
    summary="A PDF has more than 100 pages.",
    explanation="""
        `messages.38.content.0.pdf.source.base64.data: A maximum of 100 PDF pages may be
        provided.` (anthropics/claude-code#5707, warpdotdev/warp#8114).  transcript estimates
        the page count from the page tree (`/Type /Pages ... /Count N`) or by counting page
        objects; a PDF whose page tree is compressed is not judged.
    """,
    bad='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": ['
    f'{{"type": "document", "source": {{"type": "base64", "media_type": "application/pdf", "data": "{_pdf(101)}"}}}}, '
    '{"type": "text", "text": "Summarize."}]}]}',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": ['
    f'{{"type": "document", "source": {{"type": "base64", "media_type": "application/pdf", "data": "{_pdf(100)}"}}}}, '
    '{"type": "text", "text": "Summarize."}]}]}',
    runner="request",
)
def pdf_too_many_pages(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    for media, pointer, declared in _base64_media(ctx):
        if media.kind != "document" or declared != "application/pdf":
            continue
        info = _inspect(ctx, media)
        if info.valid and info.pdf_pages is not None and info.pdf_pages > MAX_PDF_PAGES:
            yield pdf_too_many_pages.rule.diagnostic(
                f"A maximum of {MAX_PDF_PAGES} PDF pages may be provided (this PDF has about {info.pdf_pages})",
                Location(pointer=pointer),
                hint="split the PDF across requests",
            )
