"""The rendition job of the photo benchmark, in Pillow and in pyvips; run as a worker process.

    python bench/photos_render.py --lib {pillow,pyvips,pyvips-once} --jobs N --out DIR
                                  [--one-core] [--webp-effort 4] PHOTO...

For every photo: decode, make upright (EXIF orientation), strip all metadata and
write 480/960/1600 px wide WebP (q80), a 960 px JPEG (q82) and a 360x270
centre-cropped JPEG thumbnail (q82).  Prints one JSON object: per photo the CPU
seconds spent on it and the bytes written, plus the wall time of the whole batch.
photos.py runs this under measure.run_measured, which adds the process tree's
peak RSS and CPU.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

WIDTHS = (1600, 960, 480)  # largest first: Pillow derives each from the previous one
WEBP_Q = 80
JPEG_Q = 82
CROP = (360, 270)
JPEG_WIDTH = 960
# EXIF orientations whose upright image is the stored one turned by 90 degrees.
SIDEWAYS = {5, 6, 7, 8}


def rendition_names(stem: str) -> list[str]:
    names = [f"{stem}-{w}.webp" for w in WIDTHS]
    return [*names, f"{stem}-{JPEG_WIDTH}.jpg", f"{stem}-thumb.jpg"]


def render_pillow(src: Path, out: Path, effort: int) -> int:
    """Pillow: one JPEG decode at the smallest draft scale that still covers 1600 px."""
    from PIL import Image, ImageOps

    with Image.open(src) as im:
        orientation = im.getexif().get(0x0112, 1)
        w, h = im.size if orientation not in SIDEWAYS else im.size[::-1]  # upright size
        want = (WIDTHS[0], round(WIDTHS[0] * h / w))
        # draft() takes the size in stored orientation; it is a no-op for HEIC/PNG.
        im.draft("RGB", want if orientation not in SIDEWAYS else want[::-1])
        upright = ImageOps.exif_transpose(im).convert("RGB")
    # exif_transpose leaves the rest of the EXIF (GPS!) in .info; clearing it means no
    # save plugin can carry it over, whatever its defaults for exif/icc_profile/xmp.
    upright.info.clear()
    written = 0
    previous = upright
    for width in WIDTHS:
        # Each size from the previous (next larger) one: Lanczos from 1.7x/2x larger
        # is visually the same and much cheaper than from the decoded 2016 px image.
        img = previous.resize((width, round(width * previous.height / previous.width)), Image.Resampling.LANCZOS)
        path = out / f"{src.stem}-{width}.webp"
        img.save(path, "WEBP", quality=WEBP_Q, method=effort)
        written += path.stat().st_size
        if width == JPEG_WIDTH:
            path = out / f"{src.stem}-{JPEG_WIDTH}.jpg"
            img.save(path, "JPEG", quality=JPEG_Q)
            written += path.stat().st_size
            thumb = ImageOps.fit(img, CROP, Image.Resampling.LANCZOS, centering=(0.5, 0.5))
            path = out / f"{src.stem}-thumb.jpg"
            thumb.save(path, "JPEG", quality=JPEG_Q)
            written += path.stat().st_size
        previous = img
    return written


def render_pyvips(src: Path, out: Path, effort: int) -> int:
    """pyvips: thumbnail() per size, so each decode uses JPEG shrink-on-load (1/2, 1/4, 1/8)."""
    import pyvips

    none = pyvips.enums.ForeignKeep.NONE  # drop EXIF, XMP, IPTC, ICC: nothing of the phone's leaks
    written = 0
    for width in WIDTHS:
        # thumbnail() autorotates by EXIF orientation unless no_rotate=True.
        img = pyvips.Image.thumbnail(str(src), width, size="down")
        if width == JPEG_WIDTH:
            # libvips is lazy: without this both saves below would decode and resize again.
            img = img.copy_memory()
            path = out / f"{src.stem}-{JPEG_WIDTH}.jpg"
            img.jpegsave(str(path), Q=JPEG_Q, keep=none)
            written += path.stat().st_size
        path = out / f"{src.stem}-{width}.webp"
        img.webpsave(str(path), Q=WEBP_Q, effort=effort, keep=none)
        written += path.stat().st_size
    thumb = pyvips.Image.thumbnail(str(src), CROP[0], height=CROP[1], crop="centre")
    path = out / f"{src.stem}-thumb.jpg"
    thumb.jpegsave(str(path), Q=JPEG_Q, keep=none)
    return written + path.stat().st_size


def render_pyvips_once(src: Path, out: Path, effort: int) -> int:
    """pyvips like Pillow above: one shrink-on-load decode for 1600 px, smaller sizes from memory."""
    import pyvips

    none = pyvips.enums.ForeignKeep.NONE
    written = 0
    img = pyvips.Image.thumbnail(str(src), WIDTHS[0], size="down").copy_memory()
    for width in WIDTHS:
        if width != WIDTHS[0]:
            img = img.thumbnail_image(width).copy_memory()  # from the previous, next larger size
        path = out / f"{src.stem}-{width}.webp"
        img.webpsave(str(path), Q=WEBP_Q, effort=effort, keep=none)
        written += path.stat().st_size
        if width == JPEG_WIDTH:
            path = out / f"{src.stem}-{JPEG_WIDTH}.jpg"
            img.jpegsave(str(path), Q=JPEG_Q, keep=none)
            written += path.stat().st_size
            thumb = img.thumbnail_image(CROP[0], height=CROP[1], crop="centre")
            path = out / f"{src.stem}-thumb.jpg"
            thumb.jpegsave(str(path), Q=JPEG_Q, keep=none)
            written += path.stat().st_size
    return written


RENDER = {"pillow": render_pillow, "pyvips": render_pyvips, "pyvips-once": render_pyvips_once}


def _init(lib: str) -> None:
    """Load the library (and its codecs) before the clock starts, in every worker."""
    if lib.startswith("pyvips"):
        import pyvips

        # A build renders each photo once: the operation cache only holds memory.
        pyvips.cache_set_max(0)
    else:
        from PIL import Image

        Image.init()
        import pillow_heif

        pillow_heif.register_heif_opener()


def _one(task: tuple[str, str, str, int]) -> dict[str, Any]:
    lib, src, out, effort = task
    cpu0, wall0 = time.process_time(), time.perf_counter()
    written = RENDER[lib](Path(src), Path(out), effort)
    return {
        "photo": Path(src).name,
        "cpu_s": time.process_time() - cpu0,
        "wall_s": time.perf_counter() - wall0,
        "in_bytes": Path(src).stat().st_size,
        "out_bytes": written,
        "pid": os.getpid(),
    }


def _settle(_: int) -> int:
    # Long enough that each pool worker takes one: all of them are started and
    # initialised before the timed batch begins.
    time.sleep(0.3)
    return os.getpid()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lib", choices=tuple(RENDER), required=True)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--one-core", action="store_true", help="pin to one CPU (libvips: also VIPS_CONCURRENCY=1)")
    # libwebp's method (Pillow) / effort (libvips), 0-6: 4 is both libraries' default.
    ap.add_argument("--webp-effort", type=int, default=4)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("photos", type=Path, nargs="+")
    args = ap.parse_args(argv)
    if args.one_core:
        # The highest allowed CPU, pinned before any library starts threads.
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    args.out.mkdir(parents=True, exist_ok=True)
    tasks = [(args.lib, str(p), str(args.out), args.webp_effort) for p in args.photos]
    if args.jobs == 1:
        _init(args.lib)
        start = time.perf_counter()
        photos = [_one(t) for t in tasks]
    else:
        # spawn, not fork: forking after libvips has started its threads is unsafe.
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(args.jobs, initializer=_init, initargs=(args.lib,)) as pool:
            pool.map(_settle, range(args.jobs), chunksize=1)
            start = time.perf_counter()
            photos = list(pool.imap_unordered(_one, tasks, chunksize=1))
    batch_wall = time.perf_counter() - start
    json.dump({"lib": args.lib, "jobs": args.jobs, "batch_wall_s": batch_wall, "photos": photos}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
