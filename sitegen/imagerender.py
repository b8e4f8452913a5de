"""Encoding: the renditions of one decoded image, as bytes in memory, before any file is written.

Every output is encoded from pixels whose `info` was cleared (imagefmt.fresh) and with no
exif/icc/xmp argument, so no metadata can reach a published file.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

from PIL import Image, ImageCms, ImageOps, ImageSequence

from sitegen.imagefmt import fresh, to_srgb
from sitegen.imagemodel import ImageError, ImageSettings, Rendition

WEBP_MAX = 16383  # the WebP format's limit on either side
# libwebp effort. On 12 MP phone photos method 2 takes 0.4 s CPU per photo for everything, method 4
# (libwebp's default) 0.8 s for 5% fewer bytes: photos use 2 to meet the 0.6 s budget. Graphics are
# few and small, and their text must stay crisp, so they get the default effort.
WEBP_METHOD_PHOTO = 2
WEBP_METHOD_GRAPHIC = 4
LOSSLESS_EFFORT = 75  # cwebp -lossless's default; 100 saves ~15% more on screenshots for 2.5x the CPU
GRAPHIC_LOSSY_QUALITY = 90
LOSSLESS_MARGIN = 1.5  # lossless wins unless it is this much bigger than lossy q90 (a photo saved as PNG)
RESAMPLE = Image.Resampling.LANCZOS


@dataclass
class Output:
    """What one image produces: renditions plus the bytes of each file, by name."""

    sources: list[Rendition] = field(default_factory=list)
    fallback: Rendition | None = None
    thumb: list[Rendition] = field(default_factory=list)
    original: Rendition | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    size: tuple[int, int] = (0, 0)  # the upright size of the source

    def add(self, name: str, im: Image.Image, mime: str, data: bytes) -> Rendition:
        self.files[name] = data
        return Rendition(name, im.width, im.height, mime)


def widths_for(settings: ImageSettings, width: int) -> list[int]:
    """srcset widths: never above the source, and the source's own width on top when it is narrower."""
    wanted = sorted({w for w in settings.widths if 0 < w <= width})
    if width < max(settings.widths, default=0) and width not in wanted:
        wanted.append(width)
    return wanted or [width]


def height_for(width: int, height: int, new_width: int) -> int:
    return max(1, round(height * new_width / width))


def thumb_size(settings: ImageSettings, width: int, height: int) -> tuple[int, int]:
    """The thumbnail box, shrunk (same aspect) when the source is smaller: never upscaled."""
    tw, th = settings.thumb_width, settings.thumb_height
    s = min(1.0, width / tw, height / th)
    return max(1, round(tw * s)), max(1, round(th * s))


def base_width(settings: ImageSettings, width: int, height: int) -> int:
    """The widest image any rendition (and the thumbnail's centre crop) is resized from."""
    top = max(widths_for(settings, width))
    tw, th = thumb_size(settings, width, height)
    crop_w = min(width, height * tw / th)  # ImageOps.fit's crop, in source pixels
    need = max(top, min(settings.fallback_width, width), math.ceil(width * tw / crop_w))
    return min(width, need)


def resized(im: Image.Image, width: int, size: tuple[int, int] | None = None, gap: float = 3.0) -> Image.Image:
    """`im` at `width`, the height from `size` (the source's true size: a JPEG draft may round it).

    `gap`: Pillow first box-reduces by an integer factor, then resamples the last `gap`-fold
    with Lanczos. 3 looks like plain Lanczos; 1 is what JPEG draft decoding does anyway.
    """
    if width == im.width:
        return im
    w, h = size or im.size
    return im.resize((width, height_for(w, h, width)), RESAMPLE, reducing_gap=gap)


def webp(im: Image.Image, quality: int, lossless: bool = False, method: int = WEBP_METHOD_PHOTO) -> bytes:
    buf = io.BytesIO()
    # for lossless WebP, "quality" is the compression effort
    fresh(im).save(buf, "WEBP", quality=LOSSLESS_EFFORT if lossless else quality, lossless=lossless, method=method)
    return buf.getvalue()


def jpeg(im: Image.Image, quality: int) -> bytes:
    if im.mode == "RGBA":  # JPEG has no alpha: flatten on the page's white, not on black
        flat = Image.new("RGB", im.size, (255, 255, 255))
        flat.paste(im, mask=im.getchannel("A"))
        im = flat
    buf = io.BytesIO()
    fresh(im).save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
    return buf.getvalue()


def png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    fresh(im).save(buf, "PNG", compress_level=6)
    return buf.getvalue()


def graphic_webp(im: Image.Image) -> tuple[bool, bytes]:
    """Screenshots and line art stay lossless unless that costs 1.5x the bytes of lossy q90.

    Returns (lossless, the bytes of `im` in the winning mode) so the top rendition is not encoded again.
    """
    exact = webp(im, 100, lossless=True, method=WEBP_METHOD_GRAPHIC)
    lossy = webp(im, GRAPHIC_LOSSY_QUALITY, method=WEBP_METHOD_GRAPHIC)
    return (True, exact) if len(exact) <= LOSSLESS_MARGIN * len(lossy) else (False, lossy)


def render_still(im: Image.Image, profile: ImageCms.ImageCmsProfile | None, kind: str, settings: ImageSettings,
                 out: Output) -> None:
    """`im` is the upright 8-bit RGB(A) source (maybe JPEG-draft-reduced); `profile` its non-sRGB colours."""
    photo = kind == "photo"
    width, height = out.size
    widths = widths_for(settings, width)
    # Colour conversion after the first shrink: a quarter of the pixels, the same result to the eye.
    # HEIC/PNG have no draft mode: halving by box-averaging first matches what JPEG gets from its DCT.
    base = to_srgb(resized(im, min(im.width, base_width(settings, width, height)), out.size, 1.0), profile)
    top = resized(base, max(widths), out.size)
    lossless, top_bytes = False, b""
    if not photo:  # a long screenshot past WebP's height limit skips the trial: its narrow widths stay lossless
        lossless, top_bytes = graphic_webp(top) if top.height <= WEBP_MAX else (True, b"")
    quality = settings.webp_quality if photo else GRAPHIC_LOSSY_QUALITY
    method = WEBP_METHOD_PHOTO if photo else WEBP_METHOD_GRAPHIC
    fb_width = min(settings.fallback_width, width)
    ladder = [base, top] if top is not base else [base]  # widest first; each level shrinks the narrowest that covers it
    for w in sorted({*widths, fb_width}, reverse=True):
        src = min((x for x in ladder if x.width >= w), key=lambda x: x.width)
        level = resized(src, w, out.size)
        if level is not src:
            ladder.append(level)
        if w in widths and height_for(width, height, w) <= WEBP_MAX:
            data = top_bytes if level is top and top_bytes else webp(level, quality, lossless, method)
            out.sources.insert(0, out.add(f"{w}.webp", level, "image/webp", data))
        if w == fb_width:
            name, mime, data = ((f"{w}.jpg", "image/jpeg", jpeg(level, settings.jpeg_quality)) if photo
                                else (f"{w}.png", "image/png", png(level)))
            out.fallback = out.add(name, level, mime, data)
    make_thumb(ladder, settings, photo, out)
    del ladder, base, top
    if settings.originals:
        full = to_srgb(im, profile)
        name, mime, data = (("original.jpg", "image/jpeg", jpeg(full, settings.jpeg_quality)) if photo
                            else ("original.png", "image/png", png(full)))
        out.original = out.add(name, full, mime, data)


def make_thumb(ladder: list[Image.Image], settings: ImageSettings, photo: bool, out: Output) -> None:
    full = ladder[0]
    size = thumb_size(settings, full.width, full.height)
    crop_w = min(full.width, full.height * size[0] / size[1])
    need = math.ceil(full.width * size[0] / crop_w)
    src = min((x for x in ladder if x.width >= min(need, full.width)), key=lambda x: x.width)
    # Portraits and long screenshots lose their top and bottom to a 4:3 crop: keep the top, where
    # faces, headlines and an app's title bar are, instead of the middle.
    tall = full.height * size[0] > full.width * size[1]
    thumb = ImageOps.fit(src, size, RESAMPLE, centering=(0.5, 0.2 if full.height < 2 * full.width else 0.0)
                         if tall else (0.5, 0.5))
    out.thumb.append(out.add("thumb.webp", thumb, "image/webp", webp(thumb, settings.webp_quality)))
    if photo:
        out.thumb.append(out.add("thumb.jpg", thumb, "image/jpeg", jpeg(thumb, settings.jpeg_quality)))
    else:
        out.thumb.append(out.add("thumb.png", thumb, "image/png", png(thumb)))


def render_animated(im: Image.Image, fmt: str, settings: ImageSettings, out: Output) -> None:
    """Every frame re-encoded (still animated, metadata gone), capped at the widest srcset width."""
    width, height = out.size
    frames = im.n_frames
    if frames * width * height > settings.max_megapixels * 1_000_000:
        raise ImageError(f"动图的帧数太多或尺寸太大（{frames} 帧），请缩短或缩小后再上传。",
                         f"the animation has too many frames or pixels ({frames} frames); shorten or shrink it")
    cap = min(width, max(settings.widths, default=width))
    ext, mime, pil = {"GIF": ("gif", "image/gif", "GIF"), "PNG": ("png", "image/png", "PNG")}.get(
        fmt, ("webp", "image/webp", "WEBP"))
    loop = im.info.get("loop")
    extra: dict[str, object] = {"loop": loop} if isinstance(loop, int) else {}
    extra |= {"quality": settings.webp_quality, "method": WEBP_METHOD_PHOTO} if pil == "WEBP" else {"disposal": 2}
    first: Image.Image | None = None
    for w in [cap] + ([width] if settings.originals and width != cap else []):
        seq, durations = [], []
        for frame in ImageSequence.Iterator(im):
            durations.append(int(frame.info.get("duration", 100) or 0))
            seq.append(fresh(resized(frame.convert("RGBA"), w)))
        first = first or seq[0]
        buf = io.BytesIO()
        seq[0].save(buf, pil, save_all=True, append_images=seq[1:], duration=durations, **extra)
        if w == cap:
            out.fallback = out.add(f"{w}.{ext}", seq[0], mime, buf.getvalue())
        else:
            out.original = out.add(f"original.{ext}", seq[0], mime, buf.getvalue())
        del seq
    if settings.originals and width == cap:
        out.original = out.fallback
    assert first is not None
    if first.getchannel("A").getextrema()[0] == 255:
        first = first.convert("RGB")
    make_thumb([first], settings, pil == "WEBP", out)
