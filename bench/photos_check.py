"""Checks on rendered photos: is each one upright, and what metadata did it keep?

Dimensions alone cannot tell an upright photo from one turned by 180 degrees, so
each output is compared, pixel by pixel at 64x48, with the original made upright
by Pillow: the rotation with the smallest difference is the one the output has.
All gen_photos.py pictures are landscape 4:3 when upright, as are the renditions.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageOps, ImageStat

SMALL = (64, 48)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".webp", ".png", ".heic", ".avif")
_reference_cache: dict[Path, Image.Image] = {}


def reference(original: Path) -> Image.Image:
    """The original, upright per its EXIF, as a small grey image."""
    if original not in _reference_cache:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        with Image.open(original) as im:
            im.draft("L", (SMALL[0] * 2, SMALL[1] * 2))
            _reference_cache[original] = ImageOps.exif_transpose(im).convert("L").resize(SMALL)
    return _reference_cache[original]


def rotation(output: Path, original: Path) -> int:
    """Degrees (counter-clockwise) the output is turned from upright: 0 is correct."""
    ref = reference(original)
    with Image.open(output) as im:
        img = im.convert("L")
    scores = {}
    for degrees in (0, 90, 180, 270):
        turned = img.rotate(-degrees, expand=True).resize(SMALL)  # undo a turn of `degrees`
        scores[degrees] = ImageStat.Stat(ImageChops.difference(turned, ref)).mean[0]
    return min(scores, key=lambda d: scores[d])


def metadata(output: Path) -> list[str]:
    """What a reader of the file could learn beyond the pixels."""
    with Image.open(output) as im:
        exif = im.getexif()
        found = []
        if exif.get_ifd(0x8825):
            found.append("GPS")
        if 0x0112 in exif:
            found.append("orientation")
        if len(exif) > len(found):
            found.append("EXIF")
        for key in ("xmp", "icc_profile", "comment"):
            if im.info.get(key):
                found.append(key)
    return found


@dataclass
class Checked:
    """Tallies over a set of output images."""

    files: int = 0
    bytes: int = 0
    turned: Counter[int] = field(default_factory=Counter)  # rotation -> files
    leaks: Counter[str] = field(default_factory=Counter)  # metadata kind -> files
    sizes: Counter[str] = field(default_factory=Counter)  # "WxH" -> files

    def add(self, output: Path, original: Path) -> None:
        self.files += 1
        self.bytes += output.stat().st_size
        self.turned[rotation(output, original)] += 1
        self.leaks.update(metadata(output))
        with Image.open(output) as im:
            self.sizes[f"{im.width}x{im.height}"] += 1

    def upright(self) -> str:
        wrong = {d: n for d, n in self.turned.items() if d}
        if not wrong:
            return f"all {self.files}"
        named = {90: "90° left", 180: "180°", 270: "90° right"}
        turned = ", ".join(f"{n} turned {named[d]}" for d, n in sorted(wrong.items()))
        return f"{self.turned[0]}/{self.files}; {turned}"

    def metadata_text(self) -> str:
        return "none" if not self.leaks else ", ".join(f"{k} in {n}" for k, n in sorted(self.leaks.items()))


def check_folder(out: Path, original_for: Callable[[Path], Path | None]) -> Checked:
    """Check every image under out for which original_for() names the original it came from."""
    checked = Checked()
    for root, _dirs, files in os.walk(out):
        for name in sorted(files):
            path = Path(root) / name
            original = original_for(path) if name.lower().endswith(IMAGE_SUFFIXES) else None
            if original is not None:
                checked.add(path, original)
    return checked
