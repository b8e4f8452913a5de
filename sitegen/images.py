"""Image processing for articles: upright, metadata-free, sRGB renditions in a content-keyed cache.

A pure library: the build calls lookup() first and process() (in a worker) on a miss. One
source file gives WebP renditions for srcset, one JPEG/PNG fallback, a thumbnail pair and,
if configured, the full-size image. Nothing the phone wrote (GPS, camera, XMP, colour
profile) reaches a published file. The work is split over:

    imagemodel   the dataclasses and ImageError (re-exported here)
    imagefmt     content sniffing, safe decoding, orientation, 16-bit/CMYK/ICC to 8-bit sRGB
    imagerender  sizes and encoders
    imagecache   meta.json, atomic entry publication, prune
    svg          SVG sanitising
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from sitegen import imagecache, imagefmt
from sitegen.imagecache import PROCESSOR_VERSION, cache_key, entry_dir
from sitegen.imagemodel import (
    ImageError,
    ImageInfo,
    ImageSettings,
    Rendition,
    corrupt_file,
    empty_file,
    too_large,
    unsupported_format,
    zero_size,
)
from sitegen.imagerender import Output, base_width, height_for, render_animated, render_still
from sitegen.svg import clean_svg, svg_size

__all__ = ["PROCESSOR_VERSION", "ImageError", "ImageInfo", "ImageSettings", "Rendition", "entry_dir", "lookup",
           "process", "prune"]

PHOTO_FORMATS = {"JPEG", "MPO", "HEIF", "AVIF", "BMP", "TIFF"}  # MPO: a phone JPEG with a depth/second image


def lookup(digest: str, settings: ImageSettings, cache_root: Path) -> ImageInfo | None:
    """The cached renditions of this content under these settings, or None (missing, partial or tampered)."""
    return imagecache.read_entry(cache_root, cache_key(digest, settings))


def process(path: Path, digest: str, settings: ImageSettings, cache_root: Path) -> ImageInfo:
    """Make (or find) the cache entry for `path`, whose content hash the caller computed as `digest`.

    Raises ImageError (Chinese and English, saying what to do) for anything wrong with the file;
    never leaves a half-written entry. Safe to run for the same image in two processes at once.
    """
    key = cache_key(digest, settings)
    cached = imagecache.read_entry(cache_root, key)
    if cached is not None:
        return cached
    info, files = render(path, key, settings)
    try:
        return imagecache.write_entry(cache_root, info, files)
    except OSError as exc:
        raise ImageError(f"无法写入图片缓存（{exc.strerror}）：{exc.filename or cache_root}，请检查磁盘空间和权限。",
                         f"cannot write the image cache ({exc.strerror}): {exc.filename or cache_root}; "
                         "check disk space and permissions") from exc


def prune(cache_root: Path, keep: set[str]) -> None:
    """Remove every entry whose key is not in `keep`, and temp folders left by crashed workers."""
    imagecache.prune(cache_root, keep)


def render(path: Path, key: str, settings: ImageSettings) -> tuple[ImageInfo, dict[str, bytes]]:
    """Decode and encode everything in memory; the files dict maps rendition names to bytes."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
            fmt = imagefmt.sniff(head)
            lossless_webp = fmt == "WEBP" and imagefmt.webp_is_lossless(fh)
    except OSError as exc:
        raise unreadable(exc) from exc
    if not head:
        raise empty_file()
    if fmt is None:
        raise unsupported_format()
    if fmt == "SVG":
        return render_svg(path, key, settings)
    if imagefmt.declares_zero_size(head, fmt):
        raise zero_size()
    out = Output()
    try:
        with imagefmt.bomb_guard(settings), Image.open(path, formats=imagefmt.PLUGINS[fmt]) as im:
            kind = kind_of(im, lossless_webp)
            info = decode_and_render(im, kind, settings, out)
    except ImageError:
        raise
    except MemoryError as exc:
        raise too_large(settings.max_megapixels) from exc
    except Exception as exc:  # Pillow and its plugins raise many types for malformed data
        raise corrupt_file() from exc
    assert out.fallback is not None
    return ImageInfo(key, kind, info[0], info[1], tuple(out.sources), out.fallback, tuple(out.thumb),
                     out.original), out.files


def kind_of(im: Image.Image, lossless_webp: bool) -> str:
    if im.format in ("GIF", "WEBP", "PNG") and getattr(im, "n_frames", 1) > 1:
        return "animated"
    if im.format in PHOTO_FORMATS or (im.format == "WEBP" and not lossless_webp):
        return "photo"
    return "graphic"


def decode_and_render(im: Image.Image, kind: str, settings: ImageSettings, out: Output) -> tuple[int, int]:
    out.size = imagefmt.upright_size(im)
    if 0 in out.size:
        raise zero_size()
    if kind == "animated":
        render_animated(im, im.format or "GIF", settings, out)
        return out.size
    need = None
    if not settings.originals:  # the full size is needed only to publish it
        w = base_width(settings, *out.size)
        need = (w, height_for(*out.size, w))
    fmt = im.format or ""
    upright = imagefmt.decode(im, need)  # type: ignore[arg-type]
    profile = imagefmt.rgb_profile(upright)
    pixels = imagefmt.to_8bit_rgb(upright, fmt)
    del upright
    render_still(pixels, profile, kind, settings, out)
    return out.size


def render_svg(path: Path, key: str, settings: ImageSettings) -> tuple[ImageInfo, dict[str, bytes]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable(exc) from exc
    clean = clean_svg(data)
    width, height = svg_size(clean)
    image = Rendition("image.svg", width, height, "image/svg+xml")
    original = image if settings.originals else None  # the cleaned SVG is already full size
    return ImageInfo(key, "vector", width, height, (), image, (), original), {"image.svg": clean}


def unreadable(exc: OSError) -> ImageError:
    return ImageError(f"无法读取图片文件（{exc.strerror}），请确认文件存在且没有被其他程序占用。",
                      f"cannot read the image file ({exc.strerror}); check that it exists and is not locked")
