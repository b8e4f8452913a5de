#!/usr/bin/env python3
"""Draw the example site's photos and attachments, reproducibly.

Every binary file that the example articles under content/ embed or attach is
made here: drawn scenes (a 主题党日 meeting room, volunteers outside the hospital,
a lecture, an exhibition, a speech contest) saved the way a phone saves them,
with Make, Model, DateTimeOriginal and GPS in the EXIF (which the build must
strip), one portrait photo stored rotated with EXIF Orientation 6, one HEIC,
one PNG phone screenshot, and a notice's two attachments (a DOCX written as a
minimal OOXML package, a PDF of a drawn A4 page).

    python scripts/example_photos.py          # rewrite every file, print sizes
    python scripts/example_photos.py --check  # also re-open each file and check it

Needs Pillow, numpy, pillow-heif and the Noto CJK fonts
(Debian/Ubuntu: apt-get install fonts-noto-cjk). Seeds are fixed, so a run
with the same library versions writes the same bytes.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SC = 2  # face index of Simplified Chinese in the Noto CJK collections

RED = (200, 22, 29)
PARTY_RED = (222, 41, 16)
GOLD = (255, 222, 0)
WHITE = (250, 250, 246)
Color = tuple[int, int, int]


# --- fonts and text ---------------------------------------------------------------

_fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def font(size: int, weight: str = "Regular", family: str = "Sans") -> ImageFont.FreeTypeFont:
    name = f"Noto{family}CJK-{weight}.ttc"
    key = (name, size)
    if key not in _fonts:
        path = FONT_DIR / name
        if not path.is_file():
            sys.exit(f"missing font {path}: apt-get install fonts-noto-cjk")
        _fonts[key] = ImageFont.truetype(str(path), size, index=SC)
    return _fonts[key]


def centered(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], text: str,
             fnt: ImageFont.FreeTypeFont, fill: Color) -> None:
    x0, y0, x1, y1 = box
    draw.text(((x0 + x1) / 2, (y0 + y1) / 2), text, font=fnt, fill=fill, anchor="mm")


def fit(text: str, width: float, size: int, weight: str = "Bold", family: str = "Sans") -> ImageFont.FreeTypeFont:
    """The largest font up to `size` in which `text` fits `width`."""
    while size > 8 and font(size, weight, family).getlength(text) > width:
        size -= 2
    return font(size, weight, family)


NO_LINE_START = "，。、；：？！）》”’…"  # punctuation that may not begin a line: it hangs at the end instead


def text_lines(draw: ImageDraw.ImageDraw, x: float, y: float, width: float, text: str,
               fnt: ImageFont.FreeTypeFont, fill: Color, spacing: float = 1.5) -> float:
    """Chinese text wrapped at `width` (any character may break); returns the y below it."""
    line = ""
    step = fnt.size * spacing
    for ch in text:
        if ch == "\n" or (fnt.getlength(line + ch) > width and ch not in NO_LINE_START):
            draw.text((x, y), line, font=fnt, fill=fill)
            y += step
            line = "" if ch == "\n" else ch
        else:
            line += ch
    if line:
        draw.text((x, y), line, font=fnt, fill=fill)
        y += step
    return y


def scribble(draw: ImageDraw.ImageDraw, rng: np.random.Generator, x: float, y: float, width: float,
             rows: int, height: float, fill: Color) -> None:
    """Lines of text too small to read in a photo: grey bars of uneven length."""
    for r in range(rows):
        end = width if r % 5 != 4 else width * rng.uniform(0.3, 0.7)
        pos = x + (height * 2 if r % 5 == 0 else 0)
        while pos < x + end:
            word = rng.uniform(height * 1.5, height * 5)
            draw.rectangle([pos, y + r * height * 1.9, min(pos + word, x + end), y + r * height * 1.9 + height],
                           fill=fill)
            pos += word + height * 0.4


# --- scenery ----------------------------------------------------------------------


def gradient(w: int, h: int, top: Color, bottom: Color) -> Image.Image:
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    arr = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t
    return Image.fromarray(np.broadcast_to(arr, (h, w, 3)).astype(np.uint8), "RGB")


def fill_gradient(img: Image.Image, box: tuple[int, int, int, int], top: Color, bottom: Color) -> None:
    x0, y0, x1, y1 = (int(v) for v in box)
    img.paste(gradient(x1 - x0, y1 - y0, top, bottom), (x0, y0))


def rotated_rect(cx: float, cy: float, w: float, h: float, angle: float) -> list[tuple[float, float]]:
    a = math.radians(angle)
    c, s = math.cos(a), math.sin(a)
    return [(cx + dx * c - dy * s, cy + dx * s + dy * c)
            for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2))]


def party_flag(img: Image.Image, x: int, y: int, w: int, wave: bool = True) -> None:
    """The Party flag: red field, gold hammer and sickle in the upper left (simplified)."""
    h = w * 2 // 3
    flag = Image.new("RGB", (w, h), PARTY_RED)
    d = ImageDraw.Draw(flag)
    s = h / 2  # emblem square
    ox, oy = s * 0.12, s * 0.1
    # sickle: a crescent opening to the upper right, with a short handle at the lower left
    r = s * 0.36
    cx, cy = ox + s * 0.5, oy + s * 0.48
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=GOLD)
    r2 = r * 0.82
    d.ellipse([cx - r2 + r * 0.2, cy - r2 - r * 0.2, cx + r2 + r * 0.2, cy + r2 - r * 0.2], fill=PARTY_RED)
    d.polygon(rotated_rect(cx - r * 0.8, cy + r * 0.95, s * 0.09, s * 0.28, 45), fill=GOLD)
    # hammer: handle from lower right to the middle, head across its top end
    d.polygon(rotated_rect(cx + r * 0.05, cy + r * 0.15, s * 0.08, s * 0.75, -45), fill=GOLD)
    d.polygon(rotated_rect(cx - r * 0.32, cy - r * 0.25, s * 0.36, s * 0.13, -45), fill=GOLD)
    if wave:  # folds: bands of light and shade across the cloth
        arr = np.asarray(flag, np.float32)
        xs = np.arange(w, dtype=np.float32)
        shade = 1 + 0.13 * np.sin(xs / w * 2 * math.pi * 2.3 + 0.6) - 0.05 * (xs / w)
        flag = Image.fromarray(np.clip(arr * shade[None, :, None], 0, 255).astype(np.uint8), "RGB")
    img.paste(flag, (x, y))


def banner(img: Image.Image, box: tuple[int, int, int, int], text: str, color: Color = RED,
           ink: Color = (255, 236, 170), family: str = "Sans") -> None:
    x0, y0, x1, y1 = box
    fill_gradient(img, box, tuple(min(255, c + 18) for c in color), tuple(max(0, c - 30) for c in color))
    d = ImageDraw.Draw(img)
    fnt = fit(text, (x1 - x0) * 0.9, int((y1 - y0) * 0.62), "Bold", family)
    centered(d, (x0, y0, x1, y1), text, fnt, ink)


def window(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], curtain: Color | None = (196, 170, 120)) -> None:
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=(236, 236, 232))
    for i in range(3):  # panes, lighter towards the top
        py0 = y0 + 14 + i * (y1 - y0 - 28) / 3
        draw.rectangle([x0 + 14, py0, x1 - 14, py0 + (y1 - y0 - 28) / 3 - 10], fill=(190 + 15 * (2 - i), 214, 232))
    draw.line([(x0 + x1) / 2, y0, (x0 + x1) / 2, y1], fill=(236, 236, 232), width=14)
    if curtain:
        cw = (x1 - x0) * 0.22
        for cx in (x0 - cw * 0.4, x1 - cw * 0.6):
            draw.rectangle([cx, y0 - 20, cx + cw, y1 + 30], fill=curtain)
            for k in range(4):
                fx = cx + cw * (k + 0.5) / 4
                draw.line([fx, y0 - 20, fx, y1 + 30], fill=tuple(c - 25 for c in curtain), width=4)


SKIN = ((236, 200, 170), (226, 186, 152), (214, 172, 138), (240, 208, 180))
HAIR = ((28, 24, 22), (40, 34, 30), (22, 20, 20), (60, 52, 46))
GREY_HAIR = ((170, 170, 168), (200, 198, 194), (140, 138, 136))


def person_back(draw: ImageDraw.ImageDraw, x: float, y: float, s: float, shirt: Color, hair: Color,
                fist: Color | None = None) -> None:
    """Someone seen from behind: `y` is the top of the head, `s` the head width."""
    sh = y + s * 1.25  # top of the shoulders
    draw.rounded_rectangle([x - s * 1.35, sh, x + s * 1.35, sh + s * 4.5], radius=int(s * 0.7), fill=shirt)
    draw.rectangle([x - s * 0.22, y + s * 0.9, x + s * 0.22, sh + s * 0.2], fill=tuple(c - 30 for c in SKIN[1]))
    if fist:  # right fist raised beside the head (the oath)
        ax = x + s * 1.05
        draw.polygon([(ax - s * 0.3, sh + s * 0.2), (ax + s * 0.3, sh + s * 0.2), (ax + s * 0.25, y - s * 0.15),
                      (ax - s * 0.22, y - s * 0.15)], fill=shirt)
        draw.ellipse([ax - s * 0.3, y - s * 0.6, ax + s * 0.3, y - s * 0.05], fill=fist)
    draw.ellipse([x - s / 2, y, x + s / 2, y + s * 1.2], fill=hair)


def person_front(draw: ImageDraw.ImageDraw, x: float, y: float, s: float, shirt: Color, hair: Color, skin: Color,
                 vest: Color | None = None, collar: Color | None = WHITE, long_hair: bool = False) -> None:
    """Someone facing the camera: `y` is the top of the head, `s` the head width."""
    sh = y + s * 1.3
    if long_hair:
        draw.rounded_rectangle([x - s * 0.6, y + s * 0.2, x + s * 0.6, y + s * 1.7], radius=int(s * 0.3), fill=hair)
    draw.rounded_rectangle([x - s * 1.3, sh, x + s * 1.3, sh + s * 4.2], radius=int(s * 0.65), fill=shirt)
    if vest:
        draw.rounded_rectangle([x - s * 1.05, sh + s * 0.05, x + s * 1.05, sh + s * 3.4], radius=int(s * 0.4),
                               fill=vest)
        draw.polygon([(x - s * 0.35, sh), (x + s * 0.35, sh), (x, sh + s * 0.9)], fill=shirt)
        draw.rectangle([x - s * 0.8, sh + s * 0.9, x - s * 0.3, sh + s * 1.1], fill=GOLD)  # badge stripe
    elif collar:
        draw.polygon([(x - s * 0.4, sh), (x + s * 0.4, sh), (x, sh + s * 1.0)], fill=collar)
    draw.rectangle([x - s * 0.2, y + s, x + s * 0.2, sh + s * 0.3], fill=tuple(c - 20 for c in skin))
    draw.ellipse([x - s / 2, y + s * 0.05, x + s / 2, y + s * 1.25], fill=skin)
    draw.chord([x - s * 0.52, y, x + s * 0.52, y + s * 0.95], 180, 360, fill=hair)


def audience_rows(draw: ImageDraw.ImageDraw, rng: np.random.Generator, w: int, rows: list[tuple[float, float]],
                  seat: Color | None = (150, 40, 40)) -> None:
    """Seated people seen from behind, row by row from the back: (head top y, head width)."""
    shirts = ((250, 250, 250), (40, 44, 60), (235, 235, 240), (70, 80, 100), (180, 40, 50), (245, 245, 245))
    for y, s in rows:
        step = s * 2.9
        off = rng.uniform(0, step)
        n = int(w / step) + 2
        if seat:
            draw.rectangle([0, y + s * 2.1, w, y + s * 5], fill=seat)
        for i in range(n):
            if rng.random() < 0.12:
                continue  # an empty seat
            cx = off + i * step + rng.normal(0, s * 0.1)
            hair = GREY_HAIR[i % 3] if rng.random() < 0.1 else HAIR[int(rng.integers(len(HAIR)))]
            person_back(draw, cx, y + rng.normal(0, s * 0.06), s * rng.uniform(0.95, 1.05),
                        shirts[int(rng.integers(len(shirts)))], hair)


def table(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], top: Color = (250, 250, 248),
          skirt: Color = (30, 70, 140)) -> None:
    x0, y0, x1, y1 = box
    draw.rectangle([x0, y0, x1, y0 + 30], fill=top)
    draw.rectangle([x0, y0 + 30, x1, y1], fill=skirt)
    for k in range(int((x1 - x0) / 70)):
        fx = x0 + 35 + k * 70
        draw.line([fx, y0 + 34, fx, y1], fill=tuple(max(0, c - 22) for c in skirt), width=6)


def cup(draw: ImageDraw.ImageDraw, x: float, y: float, s: float) -> None:
    draw.polygon([(x - s / 2, y), (x + s / 2, y), (x + s * 0.4, y + s * 1.2), (x - s * 0.4, y + s * 1.2)],
                 fill=(245, 245, 245))
    draw.ellipse([x - s / 2, y - s * 0.12, x + s / 2, y + s * 0.12], fill=(200, 170, 90))


def flowers(draw: ImageDraw.ImageDraw, rng: np.random.Generator, x0: float, x1: float, y: float, s: float) -> None:
    """A row of potted flowers along a stage or podium."""
    for cx in np.arange(x0, x1, s * 1.6):
        for _ in range(14):
            fx, fy = cx + rng.normal(0, s * 0.35), y - abs(rng.normal(s * 0.4, s * 0.25))
            r = s * rng.uniform(0.13, 0.22)
            col = (30 + int(rng.integers(40)), 110 + int(rng.integers(50)), 40) if rng.random() < 0.45 else \
                ((235, 60, 70), (250, 200, 40), (245, 120, 160))[int(rng.integers(3))]
            draw.ellipse([fx - r, fy - r, fx + r, fy + r], fill=col)
        draw.rectangle([cx - s * 0.5, y, cx + s * 0.5, y + s * 0.6], fill=(120, 70, 40))


def bamboo(draw: ImageDraw.ImageDraw, x: float, top: float, bottom: float, width: float) -> None:
    """A bamboo stem with nodes and sprays of narrow leaves."""
    draw.line([x, bottom, x + width * 0.4, top], fill=(70, 140, 70), width=int(width))
    nodes = max(3, int((bottom - top) / (width * 5)))
    for j in range(nodes):
        y = bottom - (bottom - top) * (j + 0.6) / nodes
        nx = x + width * 0.4 * (bottom - y) / (bottom - top)
        draw.line([nx - width * 0.6, y, nx + width * 0.6, y], fill=(40, 100, 50), width=max(2, int(width / 4)))
        if j % 2 == 1:
            side = 1 if j % 4 == 1 else -1
            for k, angle in enumerate((20, 45, 70)):
                a = math.radians(angle)
                length = width * (4.5 - k * 0.6)
                cx, cy = nx + side * math.sin(a) * length * 0.6, y + math.cos(a) * length * 0.6 - width * 0.5
                draw.polygon(rotated_rect(cx, cy, width * 0.55, length, -side * angle), fill=(50, 130, 60))


def tree(draw: ImageDraw.ImageDraw, rng: np.random.Generator, x: float, y: float, s: float) -> None:
    draw.rectangle([x - s * 0.08, y - s * 0.9, x + s * 0.08, y], fill=(90, 64, 44))
    for _ in range(26):
        fx, fy = x + rng.normal(0, s * 0.32), y - s * 1.2 + rng.normal(0, s * 0.3)
        r = s * rng.uniform(0.16, 0.3)
        g = int(rng.integers(90, 150))
        draw.ellipse([fx - r, fy - r, fx + r, fy + r], fill=(40, g, 50))


def hospital(img: Image.Image, rng: np.random.Generator, top: int, ground: int) -> None:
    """A many-storeyed out-patient building across the frame, its name on the roof."""
    w = img.width
    d = ImageDraw.Draw(img)
    fill_gradient(img, (0, 0, w, ground), (120, 170, 225), (205, 225, 240))  # sky
    for _ in range(5):  # clouds
        cx, cy = rng.uniform(0, w), rng.uniform(0, top * 0.8)
        for _ in range(6):
            r = rng.uniform(40, 90)
            ox, oy = rng.normal(0, 70), rng.normal(0, 20)
            d.ellipse([cx + ox - r * 1.6, cy + oy - r, cx + ox + r * 1.6, cy + oy + r], fill=(240, 244, 248))
    x0, x1 = int(w * 0.08), int(w * 0.92)
    fill_gradient(img, (x0, top, x1, ground), (236, 232, 224), (214, 208, 198))
    d.rectangle([x0, top - 30, x1, top], fill=(200, 196, 188))
    floors = 7
    fh = (ground - top - 60) / floors
    for f in range(floors):
        y = top + 40 + f * fh
        for k in range(14):
            wx = x0 + 40 + k * (x1 - x0 - 80) / 14
            d.rectangle([wx, y, wx + (x1 - x0 - 80) / 14 - 24, y + fh * 0.62],
                        fill=(90 + f * 6, 130 + f * 5, 170 + (k % 3) * 8))
    sign = "XX市人民医院"
    fnt = font(int(fh * 0.9), "Bold", "Serif")
    sw = fnt.getlength(sign)
    d.rectangle([w / 2 - sw / 2 - 30, top - 30 - fh * 1.05, w / 2 + sw / 2 + 30, top - 30], fill=(236, 232, 224))
    centered(d, (0, top - 30 - fh * 1.05, w, top - 30), sign, fnt, RED)
    door = (int(w * 0.4), int(ground - fh * 1.4), int(w * 0.6), ground)
    d.rectangle(door, fill=(150, 185, 205))
    for k in range(1, 4):
        d.line([door[0] + k * (door[2] - door[0]) / 4, door[1], door[0] + k * (door[2] - door[0]) / 4, ground],
               fill=(200, 200, 200), width=6)
    d.rectangle([door[0] - 40, door[1] - 90, door[2] + 40, door[1] - 10], fill=(40, 90, 160))
    centered(d, (door[0], door[1] - 90, door[2], door[1] - 10), "门诊部", font(60, "Bold"), WHITE)


# --- finishing and saving -----------------------------------------------------------


def finish(img: Image.Image, rng: np.random.Generator, noise: float = 2.2, light: float = 0.16) -> Image.Image:
    """Make a drawing read as a photo: soft edges, uneven light, a vignette and sensor noise."""
    img = img.filter(ImageFilter.GaussianBlur(1.1))
    w, h = img.size
    arr = np.asarray(img, np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.2, 0.5) * h
    dist = np.sqrt(((xx - cx) / w) ** 2 + ((yy - cy) / h) ** 2)
    gain = 1 + light * 0.5 - light * dist * 1.6
    warm = np.array([1.02, 1.0, 0.97], np.float32)
    arr = arr * gain[..., None] * warm
    grain = rng.normal(0, noise, (h // 2, w // 2)).astype(np.float32)
    grain = np.asarray(Image.fromarray(grain, "F").resize((w, h), Image.Resampling.BILINEAR), np.float32)
    arr += grain[..., None] + rng.normal(0, noise * 0.5, (h, w, 1)).astype(np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def _dms(x: float) -> tuple[float, float, float]:
    d = int(x)
    m = int((x - d) * 60)
    return (float(d), float(m), round(((x - d) * 60 - m) * 60, 2))


def phone_exif(make: str, model: str, when: str, gps: tuple[float, float], orientation: int = 1) -> Image.Exif:
    """What a phone writes: camera, time (in the Exif IFD), orientation and position."""
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0112] = orientation
    exif[0x0131] = "camera software 2.0"
    exif[0x0132] = when
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = when  # DateTimeOriginal
    sub[0x9004] = when  # DateTimeDigitized
    exif[0x8825] = {0: b"\x02\x02\x00\x00", 1: "N", 2: _dms(gps[0]), 3: "E", 4: _dms(gps[1]),
                    5: b"\x00", 6: 12.0}  # GPSInfo: version, latitude, longitude, altitude
    return exif


HOSPITAL = (39.10871, 117.17702)  # the fictional XX市人民医院
HUAWEI = ("HUAWEI", "ELS-AN00")
XIAOMI = ("Xiaomi", "2211133C")
APPLE = ("Apple", "iPhone 13")


def save_jpeg(img: Image.Image, path: Path, exif: Image.Exif) -> None:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, exif=exif.tobytes())
    path.write_bytes(buf.getvalue())


# --- the scenes -------------------------------------------------------------------


def room(w: int, h: int, floor_y: int, wall: tuple[Color, Color] = ((238, 230, 214), (214, 204, 188))) -> Image.Image:
    img = gradient(w, h, *wall)
    fill_gradient(img, (0, floor_y, w, h), (150, 120, 96), (110, 84, 64))  # wooden floor
    d = ImageDraw.Draw(img)
    for k in range(-20, 40):  # floor boards converging on the far wall
        d.line([w / 2 + k * 60, floor_y, w / 2 + k * 260, h], fill=(128, 100, 78), width=3)
    d.rectangle([0, 0, w, 70], fill=(246, 244, 238))  # ceiling
    for k in range(5):
        d.rectangle([w * (0.1 + 0.2 * k), 20, w * (0.1 + 0.2 * k) + 260, 50], fill=(255, 255, 250))
    d.rectangle([0, floor_y - 24, w, floor_y], fill=(120, 92, 70))  # skirting
    return img


def oath(rng: np.random.Generator) -> Image.Image:
    """主题党日 1: members in rows, backs to the camera, right fists raised before the Party flag."""
    w, h = 2400, 1800
    img = room(w, h, 1150)
    d = ImageDraw.Draw(img)
    window(d, (70, 330, 430, 1020))
    window(d, (1970, 330, 2330, 1020))
    banner(img, (330, 120, 2070, 280), "内科党支部“七一”主题党日活动")
    party_flag(img, 830, 360, 740)
    d.rectangle([826, 356, 1574, 858], outline=(150, 110, 40), width=6)
    shirts = ((250, 250, 250), (245, 245, 240), (36, 40, 56), (236, 238, 244), (52, 60, 80))
    person_back(d, 1200, 800, 92, (30, 34, 48), HAIR[0], fist=SKIN[0])  # the secretary, leading the oath
    for row, (y, s, n) in enumerate(((900, 100, 9), (1020, 122, 8), (1190, 150, 7))):
        for i in range(n):
            x = w / 2 + (i - (n - 1) / 2) * s * 2.75 + rng.normal(0, 12) + (row % 2) * s * 0.6
            hair = GREY_HAIR[i % 3] if rng.random() < 0.15 else HAIR[int(rng.integers(len(HAIR)))]
            person_back(d, x, y + rng.normal(0, 8), s * rng.uniform(0.94, 1.04),
                        shirts[int(rng.integers(len(shirts)))], hair, fist=SKIN[int(rng.integers(len(SKIN)))])
    return finish(img, rng)


def party_lecture(rng: np.random.Generator) -> Image.Image:
    """主题党日 2 (portrait): the secretary's talk, the banner above the screen."""
    w, h = 1800, 2400
    img = room(w, h, 1500)
    d = ImageDraw.Draw(img)
    banner(img, (90, 140, 1710, 300), "内科党支部“七一”主题党日活动")
    sx0, sy0, sx1, sy1 = 180, 380, 1620, 1190
    d.rectangle([sx0 - 16, sy0 - 16, sx1 + 16, sy1 + 16], fill=(60, 60, 64))
    fill_gradient(img, (sx0, sy0, sx1, sy1), (250, 248, 244), (236, 232, 226))
    d.rectangle([sx0, sy0, sx1, sy0 + 150], fill=RED)
    centered(d, (sx0, sy0, sx1, sy0 + 150), "专题党课", font(92, "Bold"), (255, 236, 170))
    centered(d, (sx0, sy0 + 190, sx1, sy0 + 320), "立足临床一线 践行初心使命", font(96, "Bold"), (150, 20, 24))
    for i, line in enumerate(("一、在医疗质量上走在前", "二、在患者服务上作表率", "三、在急难险重中显担当")):
        d.text((sx0 + 200, sy0 + 380 + i * 110), line, font=font(66), fill=(50, 40, 40))
    # podium at the right with the speaker behind it
    person_front(d, 1370, 1130, 120, (34, 38, 52), HAIR[1], SKIN[1])
    d.polygon([(1190, 1330), (1560, 1330), (1530, 1760), (1220, 1760)], fill=(120, 62, 36))
    d.rectangle([1180, 1310, 1570, 1345], fill=(150, 82, 46))
    d.ellipse([1340, 1400, 1410, 1470], fill=GOLD)
    d.line([1330, 1310, 1300, 1220], fill=(30, 30, 30), width=8)  # microphone
    d.ellipse([1285, 1195, 1320, 1235], fill=(30, 30, 30))
    flowers(d, rng, 1190, 1560, 1330, 48)
    audience_rows(d, rng, w, [(1560, 130), (1750, 160), (1990, 200)], seat=None)
    return finish(img, rng)


OATH_TEXT = ("我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，"
             "保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身，随时准备为党和人民牺牲一切，永不叛党。")


def discussion(rng: np.random.Generator) -> Image.Image:
    """主题党日 3: members at the table discussing, the oath on the wall behind them."""
    w, h = 2400, 1800
    img = room(w, h, 1000)
    d = ImageDraw.Draw(img)
    window(d, (1820, 180, 2260, 880))
    bx0, by0, bx1, by1 = 260, 150, 1460, 780
    d.rectangle([bx0 - 14, by0 - 14, bx1 + 14, by1 + 14], fill=(170, 130, 60))
    fill_gradient(img, (bx0, by0, bx1, by1), (250, 246, 236), (240, 232, 216))
    d.rectangle([bx0, by0, bx1, by0 + 130], fill=RED)
    centered(d, (bx0, by0, bx1, by0 + 130), "入 党 誓 词", font(84, "Bold", "Serif"), GOLD)
    text_lines(d, bx0 + 70, by0 + 175, bx1 - bx0 - 140, OATH_TEXT, font(50, "Regular", "Serif"), (60, 30, 30), 1.6)
    d.rectangle([1540, 260, 1720, 720], fill=(240, 240, 236), outline=(180, 180, 176), width=4)  # notice board
    scribble(d, rng, 1560, 290, 140, 14, 12, (150, 150, 150))
    shirts = ((250, 250, 250), (36, 40, 56), (240, 242, 246), (60, 70, 92), (250, 250, 250))
    for i in range(7):  # across the table, facing us
        x = 330 + i * 290 + rng.normal(0, 10)
        person_front(d, x, 790 + rng.normal(0, 8), 118, shirts[i % 5], HAIR[i % 4], SKIN[i % 4],
                     long_hair=i in (1, 4, 5))
    table(d, (120, 1180, 2280, 1500), skirt=(40, 80, 150))
    for i in range(7):  # notebooks, pens and cups in front of each
        x = 330 + i * 290
        d.polygon([(x - 110, 1140), (x + 40, 1140), (x + 60, 1200), (x - 100, 1200)], fill=(250, 250, 252))
        d.line([x - 20, 1150, x + 50, 1190], fill=(20, 20, 90), width=6)
        cup(d, x + 100, 1118, 46)
    d.rectangle([900, 1138, 1480, 1190], fill=(200, 40, 40))  # the nameplate of the discussion
    centered(d, (900, 1138, 1480, 1190), "我为患者办实事", font(40, "Bold"), GOLD)
    audience_rows(d, rng, w, [(1430, 190)], seat=None)  # two in the foreground
    return finish(img, rng)


def volunteers_group(rng: np.random.Generator) -> Image.Image:
    """Volunteers in red vests with their banner, outside the out-patient building."""
    w, h = 2400, 1800
    img = Image.new("RGB", (w, h))
    hospital(img, rng, 300, 1180)
    fill_gradient(img, (0, 1180, w, h), (196, 190, 182), (160, 152, 144))  # paving
    d = ImageDraw.Draw(img)
    for k in range(-30, 30):
        d.line([w / 2 + k * 90, 1180, w / 2 + k * 330, h], fill=(178, 172, 164), width=3)
    for x in (90, 400, 2000, 2310):
        tree(d, rng, x, 1200, 330)
    for row, (y, s, n) in enumerate(((820, 100, 9), (930, 114, 8))):
        for i in range(n):
            x = w / 2 + (i - (n - 1) / 2) * s * 2.75
            person_front(d, x, y + rng.normal(0, 6), s, (250, 250, 250), HAIR[(i + row) % 4], SKIN[(i + 2 * row) % 4],
                         vest=(214, 30, 36), long_hair=(i + row) % 3 == 0)
    banner(img, (500, 1250, 1900, 1440), "九九重阳 情暖夕阳 护理党支部志愿服务队")
    d = ImageDraw.Draw(img)
    for x in (500, 1900):  # the poles the two at the ends hold
        d.line([x, 1230, x, 1700], fill=(150, 150, 150), width=12)
    party_flag(img, 2050, 700, 240)
    d.line([2046, 700, 2046, 1330], fill=(200, 200, 200), width=10)
    return finish(img, rng)


def free_clinic(rng: np.random.Generator) -> Image.Image:
    """Volunteers checking blood pressure under a canopy in front of the building."""
    w, h = 2400, 1800
    img = Image.new("RGB", (w, h))
    hospital(img, rng, 250, 980)
    fill_gradient(img, (0, 980, w, h), (196, 190, 182), (150, 144, 136))
    d = ImageDraw.Draw(img)
    for x in (80, 2330):
        tree(d, rng, x, 1000, 300)
    d.polygon([(220, 540), (2180, 540), (2300, 700), (100, 700)], fill=(248, 248, 246))  # canopy
    banner(img, (100, 700, 2300, 840), "重阳健康义诊 情暖夕阳敬老人", family="Sans")
    d = ImageDraw.Draw(img)
    for x in (130, 2270):
        d.rectangle([x - 12, 700, x + 12, 1500], fill=(200, 200, 200))
    for i, x in enumerate((420, 880, 1520, 1980)):  # volunteers behind the tables
        person_front(d, x, 960, 118, (250, 250, 250), HAIR[i % 4], SKIN[i % 4], vest=(214, 30, 36),
                     long_hair=i % 2 == 1)
    table(d, (230, 1240, 2170, 1520), skirt=(36, 96, 170))
    for x, label in ((560, "血压测量"), (1200, "健康咨询"), (1840, "用药指导")):
        d.rectangle([x - 150, 1180, x + 150, 1244], fill=WHITE, outline=(36, 96, 170), width=4)
        centered(d, (x - 150, 1180, x + 150, 1244), label, font(44, "Bold"), (36, 96, 170))
    d.rounded_rectangle([760, 1170, 880, 1240], radius=10, fill=(80, 80, 90))  # sphygmomanometer
    for i, x in enumerate((560, 980, 1460, 1900)):  # elderly residents, seated, backs to us
        person_back(d, x, 1330 + (i % 2) * 20, 150, ((110, 90, 80), (60, 70, 90), (150, 40, 40), (90, 100, 80))[i],
                    GREY_HAIR[i % 3])
    return finish(img, rng)


STATUS_BAR = (245, 245, 245)


def score_screenshot(rng: np.random.Generator) -> Image.Image:
    """A phone screenshot: the result page of the learning platform's Party-discipline quiz."""
    w, h = 1080, 2340
    img = Image.new("RGB", (w, h), (244, 244, 246))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, w, 110], fill=(200, 26, 32))
    d.text((60, 55), "20:46", font=font(40, "Bold"), fill=WHITE, anchor="lm")
    d.rounded_rectangle([930, 38, 1010, 72], radius=8, outline=WHITE, width=4)
    d.rectangle([936, 44, 990, 66], fill=WHITE)
    for k in range(4):
        d.rectangle([840 + k * 18, 66 - k * 9, 852 + k * 18, 70], fill=WHITE)
    fill_gradient(img, (0, 110, w, 720), (200, 26, 32), (226, 70, 60))
    d.text((60, 190), "‹", font=font(80), fill=WHITE, anchor="lm")
    centered(d, (0, 140, w, 240), "党员学习平台", font(50, "Bold"), WHITE)
    centered(d, (0, 270, w, 340), "党纪学习教育专题测试", font(44), (255, 230, 200))
    d.ellipse([340, 370, 740, 770], fill=(255, 250, 244), outline=(255, 214, 120), width=18)
    centered(d, (340, 420, 740, 640), "98", font(170, "Bold"), (200, 26, 32))
    centered(d, (340, 630, 740, 700), "分", font(48), (120, 100, 100))
    d.rounded_rectangle([50, 820, 1030, 1110], radius=28, fill=WHITE)
    for i, (value, label) in enumerate((("49/50", "答对题数"), ("12分36秒", "用时"), ("92%", "超过全院党员"))):
        x0 = 50 + i * 327
        centered(d, (x0, 860, x0 + 327, 960), value, font(56, "Bold"), (40, 40, 40))
        centered(d, (x0, 980, x0 + 327, 1040), label, font(36), (140, 140, 140))
        if i:
            d.line([x0, 880, x0, 1050], fill=(230, 230, 230), width=3)
    d.rounded_rectangle([50, 1150, 1030, 2040], radius=28, fill=WHITE)
    d.text((90, 1200), "答题详情", font=font(44, "Bold"), fill=(40, 40, 40))
    d.text((990, 1200), "共50题", font=font(34), fill=(150, 150, 150), anchor="ra")
    questions = ("《中国共产党纪律处分条例》规定的“六项纪律”包括……", "党员受到警告处分一年内，不得在党内……",
                 "下列属于违反廉洁纪律行为的是……", "医务人员收受患方“红包”，违反了……",
                 "党员应当如实向党组织报告个人有关事项，这属于……", "对党员的纪律处分种类有几种？",
                 "《医疗机构工作人员廉洁从业九项准则》第一条是……")
    for i, q in enumerate(questions):
        y = 1290 + i * 104
        ok = i != 3
        d.ellipse([90, y + 8, 140, y + 58], fill=(46, 170, 90) if ok else (220, 60, 50))
        centered(d, (90, y + 8, 140, y + 58), "✓" if ok else "×", font(34, "Bold"), WHITE)
        d.text((170, y + 33), f"{i + 1}. {q}", font=fit(f"{i + 1}. {q}", 820, 36, "Regular"), fill=(60, 60, 60),
               anchor="lm")
        if i < len(questions) - 1:
            d.line([170, y + 88, 990, y + 88], fill=(238, 238, 238), width=2)
    d.rounded_rectangle([50, 2090, 520, 2210], radius=60, fill=WHITE, outline=(200, 26, 32), width=4)
    centered(d, (50, 2090, 520, 2210), "查看解析", font(46, "Bold"), (200, 26, 32))
    d.rounded_rectangle([560, 2090, 1030, 2210], radius=60, fill=(200, 26, 32))
    centered(d, (560, 2090, 1030, 2210), "再练一次", font(46, "Bold"), WHITE)
    d.rounded_rectangle([390, 2300, 690, 2312], radius=6, fill=(30, 30, 30))  # home indicator
    return img


HISTORY = (("1921", "中国共产党成立"), ("1949", "中华人民共和国成立"), ("1978", "改革开放"),
           ("2012", "党的十八大"), ("2021", "庆祝建党百年"))


def history_slide(rng: np.random.Generator) -> Image.Image:
    """The lecture's slide, photographed from a seat: skewed, bright in the middle, heads in front."""
    w, h = 2400, 1800
    slide = Image.new("RGB", (1600, 900), (252, 248, 240))
    d = ImageDraw.Draw(slide)
    fill_gradient(slide, (0, 0, 1600, 170), (214, 40, 36), (170, 20, 24))
    centered(d, (0, 0, 1600, 170), "学党史 明初心 —— 百年党史的光辉历程", font(74, "Bold"), (255, 232, 160))
    d.line([140, 470, 1460, 470], fill=(180, 30, 30), width=10)
    for i, (year, event) in enumerate(HISTORY):
        x = 180 + i * 310
        d.ellipse([x - 26, 444, x + 26, 496], fill=(200, 30, 30), outline=GOLD, width=6)
        centered(d, (x - 150, 300, x + 150, 410), year, font(76, "Bold"), (170, 20, 24))
        centered(d, (x - 155, 530, x + 155, 600), event, fit(event, 300, 44, "Regular"), (60, 40, 40))
    centered(d, (0, 700, 1600, 800), "伟大建党精神：坚持真理、坚守理想，践行初心、担当使命，",
             font(42), (90, 60, 60))
    centered(d, (0, 770, 1600, 860), "不怕牺牲、英勇斗争，对党忠诚、不负人民", font(42), (90, 60, 60))
    img = gradient(w, h, (58, 50, 46), (30, 26, 24))
    quad = (260, 180, 2210, 260, 2150, 1330, 300, 1290)  # where the slide's corners land
    coeffs = _perspective(quad, slide.size)
    warped = slide.transform((w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).polygon(list(zip(quad[::2], quad[1::2], strict=True)), fill=255)
    img.paste(warped, (0, 0), mask)
    d = ImageDraw.Draw(img)
    audience_rows(d, rng, w, [(1340, 150), (1520, 190)], seat=None)
    return finish(img, rng, light=0.3)


def _perspective(quad: tuple[int, ...], size: tuple[int, int]) -> list[float]:
    """Coefficients that map output pixels back into a `size` image whose corners land on `quad`."""
    sw, sh = size
    dst = list(zip(quad[::2], quad[1::2], strict=True))
    src = [(0, 0), (sw, 0), (sw, sh), (0, sh)]
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(rows, float), np.array(rhs, float))]


def lecture_hall(rng: np.random.Generator) -> Image.Image:
    """The whole hall: banner, screen, the speaker at the podium, rows of listeners."""
    w, h = 2400, 1800
    img = room(w, h, 980, wall=((214, 196, 170), (190, 170, 146)))
    d = ImageDraw.Draw(img)
    banner(img, (300, 110, 2100, 250), "院党委“七一”专题党课 —— 学党史 明初心")
    sx0, sy0, sx1, sy1 = 560, 310, 1840, 1030
    d.rectangle([sx0 - 14, sy0 - 14, sx1 + 14, sy1 + 14], fill=(40, 40, 44))
    fill_gradient(img, (sx0, sy0, sx1, sy1), (252, 248, 240), (240, 234, 226))
    d.rectangle([sx0, sy0, sx1, sy0 + 130], fill=(190, 30, 30))
    centered(d, (sx0, sy0, sx1, sy0 + 130), "学党史 明初心 —— 百年党史的光辉历程", font(56, "Bold"), (255, 232, 160))
    d.line([sx0 + 110, sy0 + 380, sx1 - 110, sy0 + 380], fill=(180, 30, 30), width=8)
    for i, (year, event) in enumerate(HISTORY):
        x = sx0 + 150 + i * 245
        d.ellipse([x - 20, sy0 + 360, x + 20, sy0 + 400], fill=(200, 30, 30))
        centered(d, (x - 120, sy0 + 240, x + 120, sy0 + 330), year, font(60, "Bold"), (170, 20, 24))
        centered(d, (x - 122, sy0 + 420, x + 122, sy0 + 480), event, fit(event, 236, 34, "Regular"), (60, 40, 40))
    person_front(d, 2050, 760, 100, (30, 34, 48), GREY_HAIR[2], SKIN[1])
    d.polygon([(1900, 930), (2200, 930), (2180, 1260), (1920, 1260)], fill=(120, 62, 36))
    d.rectangle([1890, 910, 2210, 940], fill=(150, 82, 46))
    d.ellipse([2020, 990, 2080, 1050], fill=GOLD)
    flowers(d, rng, 1900, 2200, 930, 40)
    party_flag(img, 150, 380, 300)
    d.line([146, 380, 146, 1000], fill=(210, 190, 120), width=10)
    audience_rows(d, rng, w, [(1060, 92), (1160, 108), (1280, 128), (1430, 152), (1610, 182)])
    return finish(img, rng)


BOARDS = (("清廉医院", "清风"), ("廉以修身", "荷"), ("廉以行医", "竹"), ("警钟长鸣", "案例"), ("家风家教", "家"))


def board(w: int, h: int, rng: np.random.Generator, title: str, motif: str) -> Image.Image:
    """One exhibition board: ink-green header, a picture, columns of small text."""
    img = gradient(w, h, (248, 246, 238), (236, 232, 220))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, w, h * 0.16], fill=(30, 92, 84))
    centered(d, (0, 0, w, h * 0.16), title, fit(title, w * 0.8, int(h * 0.1), "Bold", "Serif"), (250, 244, 220))
    px0, py0, px1, py1 = w * 0.08, h * 0.21, w * 0.92, h * 0.52
    fill_gradient(img, (int(px0), int(py0), int(px1), int(py1)), (226, 236, 230), (200, 220, 210))
    if motif == "荷":  # a lotus over its leaves
        for k in range(3):
            cx = px0 + (px1 - px0) * (0.25 + 0.25 * k)
            d.ellipse([cx - w * 0.12, py1 - h * 0.08, cx + w * 0.12, py1 - h * 0.01], fill=(60, 130, 80))
        cx, cy = (px0 + px1) / 2, (py0 + py1) / 2
        for a in range(-60, 61, 30):
            d.polygon(rotated_rect(cx + math.sin(math.radians(a)) * w * 0.05, cy - math.cos(math.radians(a)) * w * 0.03,
                                   w * 0.07, w * 0.16, a), fill=(236, 130, 160))
        d.line([cx, cy + w * 0.05, cx, py1 - h * 0.04], fill=(60, 120, 70), width=max(3, w // 100))
    elif motif == "竹":
        for k in range(3):
            bamboo(d, px0 + (px1 - px0) * (0.22 + 0.28 * k), py0 + 10, py1, max(6, w / 28))
    else:
        d.rectangle([px0 + 20, py0 + 20, px1 - 20, py1 - 20], outline=(120, 150, 140), width=4)
        centered(d, (px0, py0, px1, py1), motif, fit(motif, (px1 - px0) * 0.6, int(h * 0.14), "Bold", "Serif"),
                 (30, 92, 84))
    scribble(d, rng, w * 0.08, h * 0.57, w * 0.84, int(h * 0.36 / (max(6, h // 90) * 1.9)), max(6, h // 90),
             (120, 116, 108))
    return img


def exhibition(rng: np.random.Generator) -> Image.Image:
    """The corridor exhibition: its title across the wall, five boards, visitors reading."""
    w, h = 2400, 1800
    img = room(w, h, 1200, wall=((236, 234, 228), (220, 216, 208)))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 120, w, 300], fill=(30, 92, 84))
    centered(d, (0, 120, w, 300), "清风润医心 廉洁促发展 —— 廉洁文化主题展", font(92, "Bold", "Serif"), (250, 244, 220))
    for i, (title, motif) in enumerate(BOARDS):
        x0 = 80 + i * 456
        d.rectangle([x0 - 8, 352, x0 + 416, 1058], fill=(160, 160, 156))
        img.paste(board(408, 690, rng, title, motif), (x0, 360))
        d.line([x0 + 60, 1058, x0 + 60, 1200], fill=(150, 150, 150), width=8)
        d.line([x0 + 350, 1058, x0 + 350, 1200], fill=(150, 150, 150), width=8)
    shirts = ((250, 250, 250), (250, 250, 250), (40, 50, 70), (230, 232, 240), (90, 100, 120))
    for i, x in enumerate((330, 720, 1180, 1640, 2100)):
        person_back(d, x + rng.normal(0, 30), 1060 + (i % 2) * 50, 124 + (i % 2) * 14, shirts[i],
                    HAIR[i % 4] if i != 3 else GREY_HAIR[0])
    return finish(img, rng)


NINE_RULES = ("一、合法按劳取酬，不接受商业提成", "二、严守诚信原则，不参与欺诈骗保",
              "三、依据规范行医，不实施过度诊疗", "四、遵守工作规程，不违规接受捐赠",
              "五、恪守保密准则，不泄露患者隐私", "六、服从诊疗需要，不牟利转介患者",
              "七、维护诊疗秩序，不破坏就医公平", "八、共建和谐关系，不收受患方“红包”",
              "九、恪守交往底线，不收受企业回扣")


def board_closeup(rng: np.random.Generator) -> Image.Image:
    """One board close up: 廉以行医 with the nine rules, a visitor's shoulder at the edge."""
    w, h = 2400, 1800
    img = gradient(w, h, (226, 224, 218), (204, 200, 192))
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = 300, 90, 2100, 1720
    d.rectangle([x0 - 14, y0 - 14, x1 + 14, y1 + 14], fill=(150, 150, 146))
    fill_gradient(img, (x0, y0, x1, y1), (250, 248, 240), (238, 234, 222))
    d.rectangle([x0, y0, x1, y0 + 220], fill=(30, 92, 84))
    centered(d, (x0, y0, x1, y0 + 220), "廉以行医", font(140, "Bold", "Serif"), (250, 244, 220))
    centered(d, (x0, y0 + 240, x1, y0 + 330), "医疗机构工作人员廉洁从业九项准则", font(64, "Bold"), (30, 92, 84))
    for i, rule in enumerate(NINE_RULES):
        col, row = i // 5, i % 5
        d.text((x0 + 90 + col * 840, y0 + 400 + row * 100), rule, font=font(46, "Regular", "Serif"), fill=(50, 44, 40))
    for k in range(3):  # bamboo beside the text
        bamboo(d, x1 - 420 + k * 120, y0 + 880, y1 - 30, 26)
    scribble(d, rng, x0 + 90, y0 + 950, 1180, 17, 18, (130, 124, 116))
    person_back(d, 2260, 1120, 230, (40, 50, 70), HAIR[0])  # a visitor at the right edge
    return finish(img, rng, light=0.2)


def speech_contest(rng: np.random.Generator) -> Image.Image:
    """The final: a speaker in a white coat on stage, judges' table and audience in front."""
    w, h = 2400, 1800
    img = gradient(w, h, (60, 30, 30), (30, 20, 20))
    fill_gradient(img, (120, 80, 2280, 820), (196, 24, 30), (150, 14, 20))  # LED backdrop
    d = ImageDraw.Draw(img)
    for k in range(12):  # light rays
        d.line([1200, 820, 120 + k * 196, 80], fill=(206, 40, 40), width=6)
    centered(d, (120, 160, 2280, 360), "“党建引领 医者担当”主题演讲比赛", font(120, "Bold"), (255, 226, 120))
    centered(d, (120, 400, 2280, 490), "中共XX市人民医院委员会 · 2025年6月", font(56), (255, 236, 200))
    fill_gradient(img, (0, 820, w, 960), (150, 100, 70), (120, 80, 56))  # stage floor
    fill_gradient(img, (0, 1050, w, h), (56, 40, 36), (30, 24, 22))
    d = ImageDraw.Draw(img)
    person_front(d, 1200, 560, 88, (252, 252, 252), HAIR[1], SKIN[0], collar=(40, 60, 110), long_hair=True)
    d.line([1290, 960, 1290, 740], fill=(30, 30, 30), width=10)  # microphone stand
    d.line([1290, 740, 1250, 680], fill=(30, 30, 30), width=10)
    d.ellipse([1230, 658, 1266, 694], fill=(20, 20, 20))
    d.rectangle([0, 960, w, 1050], fill=(100, 56, 40))  # stage front
    flowers(d, rng, 60, 2360, 975, 80)
    table(d, (160, 1200, 2240, 1440), skirt=(140, 20, 24))
    for i, x in enumerate((420, 900, 1500, 1980)):  # the judges
        person_back(d, x, 1110, 140, (36, 40, 56), HAIR[i] if i != 2 else GREY_HAIR[2])
    audience_rows(d, rng, w, [(1470, 170)], seat=None)
    return finish(img, rng, light=0.28)


# --- attachments ------------------------------------------------------------------

FORM_FIELDS = ("姓名", "性别", "出生年月", "入党时间", "所在党支部", "科室", "职务/职称", "联系电话")
ZIP_TIME = (2025, 6, 3, 9, 0, 0)


def _run(text: str, bold: bool = False, size: int = 24) -> str:
    props = ('<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体"/>'
             + ("<w:b/>" if bold else "") + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _para(text: str, bold: bool = False, size: int = 24, align: str = "left") -> str:
    return (f'<w:p><w:pPr><w:jc w:val="{align}"/><w:spacing w:line="400" w:lineRule="auto"/></w:pPr>'
            f"{_run(text, bold, size)}</w:p>")


def _cell(text: str, width: int, bold: bool = False) -> str:
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f"{_para(text, bold, 24, 'center' if bold else 'left')}</w:tc>")


def docx_form(path: Path) -> None:
    """附件1: the entry form, as a minimal valid Word package (content types, rels, document)."""
    border = "".join(f'<w:{side} w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    rows = []
    for i in range(0, len(FORM_FIELDS), 2):
        cells = "".join(_cell(k, 1600, bold=True) + _cell("", 2660) for k in FORM_FIELDS[i:i + 2])
        rows.append(f'<w:tr><w:trPr><w:trHeight w:val="620"/></w:trPr>{cells}</w:tr>')
    for label, value, height in (("政治面貌", "□中共党员  □预备党员  □共青团员  □群众", 620), ("演讲题目", "", 620),
                                 ("演讲内容简介（300字以内）", "", 3200), ("个人主要事迹", "", 2400),
                                 ("党支部推荐意见", "\n\n（盖章）        书记签字：        年  月  日", 1800)):
        text = value.split("\n")
        body = "".join(_para(t) for t in text)
        rows.append(f'<w:tr><w:trPr><w:trHeight w:val="{height}"/></w:trPr>{_cell(label, 1600, bold=True)}'
                    f'<w:tc><w:tcPr><w:tcW w:w="6920" w:type="dxa"/><w:gridSpan w:val="3"/>'
                    f'<w:vAlign w:val="center"/></w:tcPr>{body}</w:tc></w:tr>')
    grid = "".join(f'<w:gridCol w:w="{c}"/>' for c in (1600, 2660, 1600, 2660))
    tbl = (f'<w:tbl><w:tblPr><w:tblW w:w="8520" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{border}'
           f"</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")
    body = (_para("附件1", True, 32)
            + _para("“党建引领 医者担当”主题演讲比赛报名表", True, 36, "center")
            + _para("推荐党支部（盖章）：                        填表日期：    年  月  日", size=24)
            + tbl
            + _para("注：1. 请于6月16日前将本表电子版发送至党委办公室邮箱 dangban@example-hospital.cn；", size=21)
            + _para("2. 演讲稿须为原创，演讲时长5至7分钟，可配合PPT进行演讲。", size=21))
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
                '<w:pgMar w:top="1440" w:right="1700" w:bottom="1440" w:left="1700" w:header="851" w:footer="992"'
                ' w:gutter="0"/></w:sectPr></w:body></w:document>')
    content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" '
                     'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/word/document.xml" ContentType="application/'
                     'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                     '<Override PartName="/docProps/core.xml" '
                     'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/></Relationships>')
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            "<dc:title>“党建引领 医者担当”主题演讲比赛报名表</dc:title><dc:creator>党委办公室</dc:creator>"
            '<dcterms:created xsi:type="dcterms:W3CDTF">2025-06-03T09:00:00Z</dcterms:created>'
            "</cp:coreProperties>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("[Content_Types].xml", content_types), ("_rels/.rels", rels),
                           ("docProps/core.xml", core), ("word/document.xml", document)):
            z.writestr(zipfile.ZipInfo(name, ZIP_TIME), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    path.write_bytes(buf.getvalue())


PLAN = (
    ("h", "“党建引领 医者担当”主题演讲比赛活动方案"),
    ("p", "为庆祝中国共产党成立104周年，引导全院党员职工坚定理想信念、践行初心使命，"
          "展示新时代医务工作者的精神风貌，院党委决定举办“党建引领 医者担当”主题演讲比赛。具体方案如下。"),
    ("s", "一、组织机构"),
    ("p", "比赛由院党委主办，党委办公室承办，各党支部协办。成立比赛评审组，由院党委委员、"
          "党支部书记代表和职工代表组成，负责决赛评审工作。"),
    ("s", "二、时间安排"),
    ("p", "1. 报名：即日起至6月16日，各党支部将报名表报送党委办公室。"),
    ("p", "2. 初赛：6月18日至20日，由各党总支组织，每个党总支推荐2至3名选手进入决赛。"),
    ("p", "3. 决赛：6月26日下午14:30，在门诊楼五楼学术报告厅举行。"),
    ("s", "三、评分标准（满分100分）"),
    ("p", "1. 演讲内容（40分）：紧扣主题，观点鲜明，事例真实感人，结合本职工作。"),
    ("p", "2. 语言表达（30分）：普通话标准，吐字清晰，语速适中，富有感染力。"),
    ("p", "3. 形象风度（20分）：着装整洁，仪态大方，表情自然。"),
    ("p", "4. 综合效果（10分）：时间控制在5至7分钟，现场反响良好。超时或不足时间的酌情扣分。"),
    ("s", "四、奖项设置"),
    ("p", "设一等奖1名、二等奖2名、三等奖3名、优秀奖若干名，另设优秀组织奖3个。获奖情况纳入年度党支部考核。"),
    ("s", "五、工作要求"),
    ("p", "各党支部要高度重视，认真组织动员，积极推荐优秀选手；演讲稿须为原创，严禁抄袭；"
          "比赛期间要合理安排工作，确保正常医疗秩序不受影响。"),
    ("r", "中共XX市人民医院委员会办公室"),
    ("r", "2025年6月3日"),
)


def plan_page() -> Image.Image:
    """附件2's text set on an A4 page at 150 dpi."""
    w, h = 1240, 1754
    page = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(page)
    d.text((110, 110), "附件2", font=font(34, "Bold"), fill=0)
    y = 190.0
    for kind, text in PLAN:
        if kind == "h":
            centered(d, (0, y, w, y + 70), text, font(44, "Bold", "Serif"), 0)
            y += 110
        elif kind == "s":
            d.text((150, y), text, font=font(30, "Bold"), fill=0)
            y += 52
        elif kind == "p":
            y = text_lines(d, 150, y, w - 300, "　　" + text, font(28, "Regular", "Serif"), 0, 1.6) + 4
        else:
            y += 30
            d.text((w - 150, y), text, font=font(28, "Regular", "Serif"), fill=0, anchor="ra")
            y += 20
    assert y < h - 120, "the plan no longer fits on one page"
    return page


def pdf_plan(path: Path) -> None:
    """附件2: the plan as a one-page PDF (a bilevel scan-like image of the page)."""
    when = time.strptime("2025-06-03 09:00:00", "%Y-%m-%d %H:%M:%S")
    plan_page().convert("1", dither=Image.Dither.NONE).save(
        path, "PDF", resolution=150.0, title="“党建引领 医者担当”主题演讲比赛活动方案", author="党委办公室",
        creator="scripts/example_photos.py", producer="Pillow", creationDate=when, modDate=when)


# --- what goes where ----------------------------------------------------------------

HEIC = "heic"


def _photo(draw: Callable[[np.random.Generator], Image.Image], seed: int, camera: tuple[str, str], when: str,
           gps: tuple[float, float] = HOSPITAL, portrait: bool = False, fmt: str = "jpeg") -> Callable[[Path], None]:
    def make(path: Path) -> None:
        img = draw(np.random.default_rng(seed))
        orientation = 1
        if portrait:  # stored as the phone's sensor saw it; Orientation 6 turns it upright again
            img, orientation = img.transpose(Image.Transpose.ROTATE_90), 6
        exif = phone_exif(*camera, when, gps, orientation)
        if fmt == HEIC:
            from pillow_heif import register_heif_opener

            register_heif_opener()
            img.save(path, "HEIF", quality=50, exif=exif.tobytes())
        else:
            save_jpeg(img, path, exif)
    return make


def _png(draw: Callable[[np.random.Generator], Image.Image], seed: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        draw(np.random.default_rng(seed)).save(path, "PNG", optimize=True)
    return make


FILES: dict[str, Callable[[Path], None]] = {
    "2024/2024-07-01-zhu-ti-dang-ri/photo1.jpg": _photo(oath, 1, HUAWEI, "2024:07:01 15:12:08"),
    "2024/2024-07-01-zhu-ti-dang-ri/photo2.jpg": _photo(party_lecture, 2, HUAWEI, "2024:07:01 15:40:51",
                                                        portrait=True),
    "2024/2024-07-01-zhu-ti-dang-ri/photo3.jpg": _photo(discussion, 3, HUAWEI, "2024:07:01 16:21:37"),
    "2024/2024-07-25-dang-ji-zhi-shi-ce-shi/cheng-ji.png": _png(score_screenshot, 4),
    "2025/2025-06-03-yan-jiang-bi-sai-tong-zhi/附件1：报名表.docx": docx_form,
    "2025/2025-06-03-yan-jiang-bi-sai-tong-zhi/附件2：活动方案.pdf": pdf_plan,
    "2025/2025-06-27-yan-jiang-bi-sai/jue-sai.jpg": _photo(speech_contest, 5, XIAOMI, "2025:06:26 15:48:20"),
    "2025/2025-10-29-chong-yang-zhi-yuan-fu-wu/he-ying.heic": _photo(volunteers_group, 6, APPLE,
                                                                     "2025:10:29 09:02:44", fmt=HEIC),
    "2025/2025-10-29-chong-yang-zhi-yuan-fu-wu/yi-zhen.jpg": _photo(free_clinic, 7, APPLE, "2025:10:29 09:35:10"),
    "2025/images/2025-12-09-zhan-ting.jpg": _photo(exhibition, 8, XIAOMI, "2025:12:09 10:16:03"),
    "2025/images/2025-12-09-zhan-ban.jpg": _photo(board_closeup, 9, XIAOMI, "2025:12:09 10:19:47"),
    "2026/2026-06-26-qi-yi-zhuan-ti-dang-ke/ppt.jpg": _photo(history_slide, 10, HUAWEI, "2026:06:26 14:52:31"),
    "2026/2026-06-26-qi-yi-zhuan-ti-dang-ke/hui-chang.jpg": _photo(lecture_hall, 11, HUAWEI, "2026:06:26 14:35:02"),
}


def check(path: Path) -> str:
    """Re-open a written file the way a reader's program would; a line describing it."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
            names = set(z.namelist())
            assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= names
            from xml.dom.minidom import parseString

            for name in names:
                parseString(z.read(name))
            return f"docx, {len(names)} parts"
    if suffix == ".pdf":
        data = path.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        return f"pdf, {data.count(b'/Type /Page') - data.count(b'/Type /Pages')} page(s)"
    if suffix == ".heic":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    with Image.open(path) as img:
        img.load()
        exif = img.getexif()
        upright = ImageOps.exif_transpose(img)
        info = f"{img.format} {img.size[0]}x{img.size[1]}"
        if exif.get(0x0112, 1) != 1:
            # shown upright, the red banner must be along the top, not down a side
            arr = np.asarray(upright.convert("RGB"), np.int16)
            red = (arr[..., 0] > 150) & (arr[..., 1] < 80) & (arr[..., 2] < 80)
            band = arr.shape[0] // 8
            assert red[:band].mean() > 4 * red[-band:].mean(), f"{path}: not upright after exif_transpose"
            info += f", orientation {exif[0x0112]} -> shown {upright.size[0]}x{upright.size[1]}, banner on top"
        if 0x8825 in exif:
            info += f", {exif.get(0x010F)} {exif.get(0x0110)}, GPS"
        return info


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="re-open every file after writing it")
    ap.add_argument("only", nargs="*", help="write only these (paths under content/)")
    args = ap.parse_args()
    total = 0
    for rel, make in FILES.items():
        if args.only and rel not in args.only:
            continue
        path = CONTENT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)
        size = path.stat().st_size
        total += size
        note = f"  {check(path)}" if args.check else ""
        print(f"{size:>9,}  content/{rel}{note}")
    print(f"{total:>9,}  bytes in all")


if __name__ == "__main__":
    main()
