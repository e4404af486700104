"""Image and document rules (I0xx) beyond their examples."""

from __future__ import annotations

import base64

from rules_helpers import body, codes, found
from test_media import gif, jpeg, png, webp_vp8x


def image(raw: bytes | str, media_type: str = "image/png") -> dict:
    data = raw if isinstance(raw, str) else base64.b64encode(raw).decode()
    return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}


def ask(*blocks: dict) -> list:
    return [{"role": "user", "content": [*blocks, {"type": "text", "text": "What is this?"}]}]


def test_i001_every_format_pair() -> None:
    for raw, actual in ((png(5, 5), "image/png"), (jpeg(5, 5), "image/jpeg"), (gif(5, 5), "image/gif"), (webp_vp8x(5, 5), "image/webp")):
        for declared in ("image/png", "image/jpeg", "image/gif", "image/webp"):
            result = found(body(ask(image(raw, declared))), "I001")
            if declared == actual:
                assert not result
            else:
                assert f"appears to be a {actual} image" in result[0].message
                assert result[0].location.pointer == "/messages/0/content/0/source/data"


def test_i001_not_an_image_and_pdf_documents() -> None:
    assert "not a PNG" in found(body(ask(image(b"hello world"))), "I001")[0].message
    doc = {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": base64.b64encode(png(1, 1)).decode()}}
    assert found(body(ask(doc)), "I001")
    doc["source"]["data"] = base64.b64encode(b"%PDF-1.4\n%%EOF").decode()
    assert not found(body(ask(doc)), "I001")


def test_images_inside_tool_results_and_documents_are_checked() -> None:
    inner = image(png(9000, 10))
    msgs = [
        {"role": "user", "content": "Go"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "shot", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [inner]}]},
    ]
    (d,) = found(body(msgs, tools=[{"name": "shot", "input_schema": {"type": "object"}}]), "I005")
    assert d.location.pointer == "/messages/2/content/0/content/0/source/data"
    doc = {"type": "document", "source": {"type": "content", "content": [image(png(9000, 10))]}}
    assert found(body(ask(doc)), "I005")


def test_i002_does_not_cascade() -> None:
    result = codes(body(ask(image("not base64!"))))
    assert result == ["I002"]


def test_i003_empty_image_only() -> None:
    assert codes(body(ask(image("")))) == ["I003"]


def test_i004_counts_the_base64_length() -> None:
    raw = png(100, 100) + bytes(3_932_160 - len(png(100, 100)))  # exactly 5 MiB of base64
    assert not found(body(ask(image(raw))), "I004")
    assert found(body(ask(image(raw + bytes(3)))), "I004")


def test_i005_i006_thresholds() -> None:
    assert not found(body(ask(image(png(8000, 8000)))), "I005")
    assert found(body(ask(image(jpeg(10, 8001), "image/jpeg"))), "I005")
    twenty = [image(png(2500, 10)) for _ in range(20)]
    assert not found(body(ask(*twenty)), "I006")
    many = found(body(ask(*twenty, image(png(10, 10)))), "I006")
    assert len(many) == 20 and "21 images" in many[0].message
    # an image over 8000 px is I005, not also I006
    assert not found(body(ask(*[image(png(9000, 10))] * 21)), "I006")


def test_i006_counts_url_images_too() -> None:
    urls = [{"type": "image", "source": {"type": "url", "url": f"https://x/{i}.png"}} for i in range(20)]
    assert found(body(ask(*urls, image(png(2001, 5)))), "I006")


def test_i007_counts_documents() -> None:
    docs = [{"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "x"}}] * 50
    imgs = [{"type": "image", "source": {"type": "url", "url": "https://x/a.png"}}] * 51
    (d,) = found(body(ask(*imgs, *docs)), "I007")
    assert "51 + 50 > 100" in d.message and d.location.pointer == "/messages/0/content/100"


def test_i008_page_objects() -> None:
    pdf = b"%PDF-1.4\n" + b"".join(b"%d 0 obj << /Type /Page >> endobj\n" % i for i in range(101))
    doc = {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": base64.b64encode(pdf).decode()}}
    assert "about 101" in found(body(ask(doc)), "I008")[0].message
