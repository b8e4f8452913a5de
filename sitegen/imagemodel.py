"""The values the image processor hands back, and the one error it raises.

Kept apart from images.py so the decoding, encoding, cache and SVG modules can share
them without importing each other in a circle; sitegen.images re-exports all of it.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("photo", "graphic", "animated", "vector")
MIMES = ("image/webp", "image/jpeg", "image/png", "image/gif", "image/svg+xml")
FORMATS_ZH = "JPEG、PNG、WebP、GIF、HEIC/HEIF、AVIF、BMP、TIFF 或 SVG"
FORMATS_EN = "JPEG, PNG, WebP, GIF, HEIC/HEIF, AVIF, BMP, TIFF or SVG"


@dataclass(frozen=True)
class ImageSettings:
    """From site.yaml `images:`; hashable and part of the cache key."""

    widths: tuple[int, ...] = (480, 960, 1600)  # WebP srcset widths
    fallback_width: int = 960  # one JPEG (photos) or PNG (graphics) for browsers without WebP
    thumb_width: int = 360  # listing thumbnail, centre-cropped to thumb_width x thumb_height
    thumb_height: int = 270
    webp_quality: int = 80
    jpeg_quality: int = 75  # the fallback is for old browsers only; q82 made it 27% of a photo's bytes
    originals: bool = False  # also publish the full-size image (still upright, metadata-free)
    max_megapixels: int = 100  # larger is refused as a decompression bomb


@dataclass(frozen=True)
class Rendition:
    name: str  # file name inside the cache entry folder, e.g. "960.webp", "thumb.jpg"
    width: int
    height: int
    mime: str  # one of MIMES


@dataclass(frozen=True)
class ImageInfo:
    key: str  # cache key: content digest + settings + processor version
    kind: str  # one of KINDS
    width: int  # upright intrinsic size of the source
    height: int
    sources: tuple[Rendition, ...]  # WebP renditions, ascending width (empty for animated/vector)
    fallback: Rendition  # what <img src> points to
    thumb: tuple[Rendition, ...]  # (webp, jpeg-or-png) thumbnail; () for vector
    original: Rendition | None  # only when settings.originals

    def renditions(self) -> tuple[Rendition, ...]:
        """Every distinct file of the entry (a vector's original is its fallback)."""
        seen: dict[str, Rendition] = {}
        for r in (*self.sources, self.fallback, *self.thumb, *((self.original,) if self.original else ())):
            seen.setdefault(r.name, r)
        return tuple(seen.values())


class ImageError(Exception):
    """What is wrong with an image and what the editor should do, Chinese first."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} ({en})")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Raised in build workers, re-raised in the parent: pickle both languages, not the joined text.
        return (ImageError, (self.zh, self.en))


def empty_file() -> ImageError:
    return ImageError("图片文件是空的（0 字节），请重新复制或导出这张图片。",
                      "the image file is empty (0 bytes); copy or export it again")


def corrupt_file() -> ImageError:
    return ImageError("图片文件已损坏或不完整，请重新从手机或电脑导出这张照片。",
                      "the image file is corrupt or truncated; export the photo again from the phone or computer")


def unsupported_format() -> ImageError:
    return ImageError(f"不支持这种图片格式，请另存为 {FORMATS_ZH} 格式后再上传。",
                      f"unsupported image format; save it as {FORMATS_EN}")


def too_large(megapixels: int) -> ImageError:
    return ImageError(f"图片像素太多（超过 {megapixels} 百万像素），可能是恶意文件；请缩小图片尺寸后再上传。",
                      f"the image has too many pixels (over {megapixels} megapixels, a possible decompression "
                      "bomb); scale it down and try again")


def zero_size() -> ImageError:
    return ImageError("图片的宽度或高度为 0，无法显示，请重新导出这张图片。",
                      "the image has zero width or height; export it again")
