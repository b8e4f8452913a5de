"""Regenerates the photos of tests/sites/column: `python tests/sites/column_photos.py`.

Drawn, not photographed, so they are small (a few tens of KB), deterministic and free of anyone's
face or EXIF; each keeps the shape the test that uses it relies on. The files are committed; this
script only documents how they were made and remakes them byte for byte.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

CONTENT = Path(__file__).parent / "column" / "content"
ORIENTATION = 0x0112


def scene(size: tuple[int, int], seed: int) -> Image.Image:
    """A sky-to-floor gradient with a few coloured blocks: enough edges for real JPEG/WebP work."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    tint = Image.new("RGB", size, (180 - seed * 20, 60 + seed * 15, 40 + seed * 25))
    image = Image.blend(image, tint, 0.6)
    draw = ImageDraw.Draw(image)
    for i in range(5):
        x = (seed * 97 + i * width // 5) % width
        draw.rectangle((x, height // 3 + i * 17, x + width // 8, height - 40), fill=(200, 30 + i * 40, 30))
    draw.ellipse((width // 3, 40, width // 3 + height // 4, 40 + height // 4), fill=(250, 220, 120))
    return image


def jpeg(image: Image.Image, orientation: int = 1) -> bytes:
    exif = Image.Exif()
    if orientation != 1:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=60, exif=exif.tobytes())
    return out.getvalue()


def screenshot() -> Image.Image:
    """A phone screenshot's shape (1080x2340) in flat colours, as a PNG of one is."""
    image = Image.new("RGB", (1080, 2340), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1080, 260), fill=(200, 16, 46))
    for row in range(12):
        top = 400 + row * 150
        draw.rectangle((60, top, 1020, top + 110), fill=(255, 255, 255), outline=(220, 220, 220), width=3)
        draw.rectangle((90, top + 35, 90 + 40 * (row % 5 + 4), top + 75), fill=(120, 120, 120))
    return image


def heic(image: Image.Image) -> bytes:
    from pillow_heif import from_pillow

    out = io.BytesIO()
    from_pillow(image).save(out, quality=50)
    return out.getvalue()


def files() -> dict[str, bytes]:
    landscape = (1200, 900)  # above the 960 px fallback, so srcset has more than one width
    png = io.BytesIO()
    screenshot().save(png, "PNG", optimize=True)
    return {
        "2024/2024-07-01-zhu-ti-dang-ri/photo1.jpg": jpeg(scene(landscape, 1)),
        # Stored landscape with EXIF Orientation 6: readers must see it standing up (test_browser).
        "2024/2024-07-01-zhu-ti-dang-ri/photo2.jpg": jpeg(scene(landscape, 2), orientation=6),
        "2024/2024-07-01-zhu-ti-dang-ri/photo3.jpg": jpeg(scene(landscape, 3)),
        "2024/2024-07-25-dang-ji-zhi-shi-ce-shi/cheng-ji.png": png.getvalue(),
        "2025/2025-06-27-yan-jiang-bi-sai/jue-sai.jpg": jpeg(scene(landscape, 4)),
        "2025/2025-10-29-chong-yang-zhi-yuan-fu-wu/he-ying.heic": heic(scene(landscape, 5)),
        "2025/2025-10-29-chong-yang-zhi-yuan-fu-wu/yi-zhen.jpg": jpeg(scene(landscape, 6)),
        "2025/images/2025-12-09-zhan-ban.jpg": jpeg(scene(landscape, 7)),
        "2025/images/2025-12-09-zhan-ting.jpg": jpeg(scene(landscape, 8)),
    }


if __name__ == "__main__":
    for name, data in files().items():
        (CONTENT / name).write_bytes(data)
        print(f"{len(data):>7} {name}")
