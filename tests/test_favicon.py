"""/favicon.ico: a small icon of our own, drawn by scripts/make_favicon.py, served without a 404."""

from __future__ import annotations

import importlib.util
import io
import struct
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def load_script():
    spec = importlib.util.spec_from_file_location("make_favicon", REPO / "scripts" / "make_favicon.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_favicon_is_an_ico_with_three_sizes(client):
    from PIL import Image

    with client.get("/favicon.ico") as response:
        assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
        assert response.headers["Cache-Control"] == "public, max-age=604800"
        data = response.get_data()
    assert struct.unpack("<HHH", data[:6]) == (0, 1, 3)
    image = Image.open(io.BytesIO(data))
    assert image.info["sizes"] == {(16, 16), (32, 32), (48, 48)}
    image.size = (32, 32)
    pixels = image.convert("RGBA")
    assert pixels.getpixel((2, 16))[:3] == (11, 93, 75)      # the brand green
    assert pixels.getpixel((9, 16))[:3] == (255, 255, 255)   # the left page of the book
    assert pixels.getpixel((0, 0))[3] == 0                   # rounded, transparent corner


def test_the_shipped_icons_are_what_the_script_draws():
    script = load_script()
    assert (REPO / "app" / "static" / "favicon.ico").read_bytes() == script.ico()
    assert (REPO / "app" / "static" / "favicon.svg").read_text(encoding="utf-8") == script.SVG


def test_the_icon_needs_no_sign_in_where_every_page_does(tmp_path, knowledge_dir):
    from conftest import app_config

    from app import create_app

    application = create_app(app_config(tmp_path, knowledge_dir, KM_REQUIRE_LOGIN=True))
    try:
        client = application.test_client()
        assert client.get("/reports/").status_code == 302
        with client.get("/favicon.ico") as response:
            assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    finally:
        application.extensions["km"].stop()
