"""Draw the site's icon: an open white book on the brand-green rounded square.

Writes app/static/favicon.ico (16, 32 and 48 px PNG images in one ICO) and app/static/favicon.svg
from the same shapes, with the standard library only. Run again after changing the shapes:

    python scripts/make_favicon.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "app" / "static"
BRAND = (11, 93, 75)   # --brand in site.css
PAGE = (255, 255, 255)
SIZES = (16, 32, 48)
SAMPLES = 4            # 4 × 4 samples a pixel: smooth edges without a drawing library
CORNER = 0.22          # corner radius of the square, as a share of its side
# each page: left and right edge, top at the spine and at the outer edge, bottom at the spine and outer edge
PAGES = ((0.14, 0.47, 0.30, 0.24, 0.78, 0.72), (0.53, 0.86, 0.30, 0.24, 0.78, 0.72))

SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<rect width="100" height="100" rx="22" fill="#0b5d4b"/>
<path d="M14 24 L47 30 L47 78 L14 72 Z M86 24 L53 30 L53 78 L86 72 Z" fill="#fff"/>
</svg>
"""


def _inside_square(u: float, v: float) -> bool:
    cu, cv = min(max(u, CORNER), 1 - CORNER), min(max(v, CORNER), 1 - CORNER)
    return (u - cu) ** 2 + (v - cv) ** 2 <= CORNER ** 2


def _on_page(u: float, v: float) -> bool:
    for left, right, top_spine, top_outer, bottom_spine, bottom_outer in PAGES:
        if left <= u <= right:
            # share of the way from the spine (0) to the outer edge (1)
            t = (u - right) / (left - right) if left < 0.5 else (u - left) / (right - left)
            top = top_spine + (top_outer - top_spine) * t
            bottom = bottom_spine + (bottom_outer - bottom_spine) * t
            if top <= v <= bottom:
                return True
    return False


def pixels(size: int) -> list[list[tuple[int, int, int, int]]]:
    """RGBA rows of the icon at `size` × `size`."""
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            square = page = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    u, v = (x + (sx + .5) / SAMPLES) / size, (y + (sy + .5) / SAMPLES) / size
                    if _inside_square(u, v):
                        square += 1
                        page += _on_page(u, v)
            alpha = round(255 * square / SAMPLES ** 2)
            share = page / square if square else 0
            rgb = tuple(round(b + (p - b) * share) for b, p in zip(BRAND, PAGE, strict=True))
            row.append((*rgb, alpha))
        rows.append(row)
    return rows


def png(size: int) -> bytes:
    """One PNG image (RGBA, 8 bits a channel)."""
    raw = b"".join(b"\0" + bytes(c for pixel in row for c in pixel) for row in pixels(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def ico(sizes: tuple[int, ...] = SIZES) -> bytes:
    """An ICO file holding one PNG image per size."""
    images = [png(size) for size in sizes]
    offset = 6 + 16 * len(images)
    directory = b""
    for size, image in zip(sizes, images, strict=True):
        directory += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return struct.pack("<HHH", 0, 1, len(images)) + directory + b"".join(images)


def main() -> None:
    (STATIC / "favicon.ico").write_bytes(ico())
    (STATIC / "favicon.svg").write_text(SVG, encoding="utf-8")
    print(f"wrote {STATIC / 'favicon.ico'} and {STATIC / 'favicon.svg'}")


if __name__ == "__main__":
    main()
