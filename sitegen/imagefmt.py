"""Decoding: what a file really is (by its bytes, never its name), and its pixels upright and 8-bit.

Editors rename files and phones mislabel them, so a ".jpg" may hold PNG or HEIC. The
magic bytes pick the Pillow plugin; a file whose magic is known but which Pillow cannot
read is corrupt, anything else is an unsupported format.
"""

from __future__ import annotations

import contextlib
import io
import struct
import warnings
from collections.abc import Iterator
from typing import BinaryIO

import pillow_heif
from PIL import Image, ImageChops, ImageCms, ImageFile

from sitegen.imagemodel import ImageSettings, too_large

# Depth maps, auxiliary and thumbnail images are never published: do not decode them.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is an error, never half a grey picture

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
               b"mif2", b"avif", b"avis"}
PLUGINS = {"JPEG": ["JPEG"], "PNG": ["PNG"], "GIF": ["GIF"], "WEBP": ["WEBP"], "HEIF": ["HEIF", "AVIF"],
           "BMP": ["BMP"], "TIFF": ["TIFF"]}
TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
             5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
             8: Image.Transpose.ROTATE_90}  # the table ImageOps.exif_transpose uses
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def sniff(head: bytes) -> str | None:
    """The container format from the first bytes (64 are enough), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and len(head) >= 16:
        box = min(struct.unpack(">I", head[:4])[0], len(head))
        brands = {head[8:12]} | {head[i:i + 4] for i in range(16, box - 3, 4)}
        return "HEIF" if brands & HEIF_BRANDS else None  # other ftyp files are MP4/MOV videos
    if head.startswith(b"BM"):
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return "SVG" if text.startswith(b"<") else None


def declares_zero_size(head: bytes, fmt: str) -> bool:
    """PNG and GIF state their size up front; Pillow rejects a 0 there as 'cannot identify'."""
    if fmt == "PNG" and len(head) >= 24:
        return 0 in struct.unpack(">II", head[16:24])
    if fmt == "GIF" and len(head) >= 10:
        return 0 in struct.unpack("<HH", head[6:10])
    return False


def webp_is_lossless(fh: BinaryIO) -> bool:
    """True if the first image chunk is VP8L: the file was saved losslessly (a graphic)."""
    fh.seek(12)
    for _ in range(64):  # VP8X, ICCP, ALPH, ANIM come first; never walk a crafted file forever
        header = fh.read(8)
        if len(header) < 8:
            return False
        tag, size = header[:4], struct.unpack("<I", header[4:])[0]
        if tag in (b"VP8L", b"VP8 ", b"ANMF"):
            return tag == b"VP8L" or (tag == b"ANMF" and fh.read(24)[16:20] == b"VP8L")
        fh.seek(size + (size & 1), io.SEEK_CUR)
    return False


@contextlib.contextmanager
def bomb_guard(settings: ImageSettings) -> Iterator[None]:
    """Pillow's pixel limit from the settings, its warning promoted to an error, both as ImageError."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = settings.max_megapixels * 1_000_000
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large(settings.max_megapixels) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block on good pixels: show them as stored
        return 1
    return value if isinstance(value, int) and value in TRANSPOSE else 1


def upright_size(im: Image.Image) -> tuple[int, int]:
    w, h = im.size
    return (h, w) if orientation(im) in (5, 6, 7, 8) else (w, h)


def decode(im: ImageFile.ImageFile, need: tuple[int, int] | None) -> Image.Image:
    """Every pixel decoded (a truncated file raises here) and turned upright.

    `need` is the upright size the largest output needs; JPEG then decodes at the
    smallest DCT scale (1/2, 1/4, 1/8) that still covers it: 4x less work at 1/2.
    """
    turn = orientation(im)
    if need and im.format in ("JPEG", "MPO"):  # Pillow names a JPEG with a second (depth) picture MPO
        im.draft("RGB", (need[1], need[0]) if turn in (5, 6, 7, 8) else need)
    im.load()
    return im.transpose(TRANSPOSE[turn]) if turn in TRANSPOSE else im


def has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info


def to_8bit_rgb(im: Image.Image, fmt: str) -> Image.Image:
    """RGB, or RGBA when some pixel is not opaque; CMYK and 16-bit greys converted without clipping."""
    if im.mode == "CMYK":
        return cmyk_to_rgb(im, fmt)
    if im.mode.startswith("I") or im.mode == "F":
        wide = im if im.mode in ("I", "F") else im.convert("I")
        top = wide.getextrema()[1]
        # 16-bit samples would clip to white in a plain convert("L"): scale 0..65535 to 0..255.
        scale = 255.0 if isinstance(top, float) and top <= 1.0 else (1 / 257 if top > 255 else 1.0)
        im = wide.point(lambda v: v * scale + 0.5).convert("L")
    if has_alpha(im):
        rgba = im.convert("RGBA")
        if rgba.getchannel("A").getextrema()[0] < 255:
            return rgba
        return rgba.convert("RGB")
    return im if im.mode == "RGB" else im.convert("RGB")


def cmyk_to_rgb(im: Image.Image, fmt: str) -> Image.Image:
    if fmt in ("JPEG", "MPO") and "adobe" not in im.info:
        # Pillow reads every CMYK JPEG as Adobe-inverted; without Adobe's APP14 marker the
        # samples are plain CMYK, so undo the inversion or the photo comes out as a negative.
        icc = im.info.get("icc_profile")
        im = ImageChops.invert(im)
        im.info["icc_profile"] = icc
    icc = im.info.get("icc_profile")
    if icc:
        with contextlib.suppress(Exception):  # a broken profile: the plain formula below is close enough
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if profile.profile.xcolor_space.strip() == "CMYK":
                return ImageCms.profileToProfile(im, profile, SRGB, outputMode="RGB")
    return im.convert("RGB")


def rgb_profile(im: Image.Image) -> ImageCms.ImageCmsProfile | None:
    """The source's RGB colour profile when it is not sRGB (Display P3, Adobe RGB), else None."""
    icc = im.info.get("icc_profile")
    if not icc or im.mode == "CMYK":
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if profile.profile.xcolor_space.strip() != "RGB":
            return None
        if "srgb" in (profile.profile.profile_description or "").lower().replace(" ", ""):
            return None  # converting sRGB to sRGB costs time and changes nothing
    except Exception:  # unreadable profile: treat the pixels as sRGB, as browsers do
        return None
    return profile


def to_srgb(im: Image.Image, profile: ImageCms.ImageCmsProfile | None) -> Image.Image:
    """Pixels moved into sRGB, so the profile can be dropped without dulling P3 reds and greens."""
    if profile is None:
        return im
    try:
        return ImageCms.profileToProfile(im, profile, SRGB, outputMode=im.mode)
    except Exception:
        return im


def fresh(im: Image.Image) -> Image.Image:
    """The same pixels with no EXIF, XMP, ICC, comment or text left to leak into a saved file."""
    im.info = {}
    with contextlib.suppress(AttributeError):
        im._exif = None  # getexif() caches here, and some encoders consult it
    return im

