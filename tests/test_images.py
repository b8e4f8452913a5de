"""The image processor: upright, metadata-free, never upscaled, safely cached; every error in two languages.

Pictures are drawn here with Pillow at phone-like proportions but small sizes, so the
whole file runs in seconds. The "marker" is a red block in the top-left corner of the
upright picture: wherever it lands in an output tells whether orientation was applied.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import pickle
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw, PngImagePlugin, features

from sitegen import imagefmt, images
from sitegen.images import ImageError, ImageInfo, ImageSettings, entry_dir, lookup, process, prune

RED = (220, 20, 30)
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Phone"/></rdf:RDF></x:xmpmeta>')
LEAKS = (b"Exif", b"GPS", b"http://ns.adobe.com/xap/", b"iCCP", b"ICC_PROFILE", b"HUAWEI", b"secret")


def upright_picture(w: int = 1200, h: int = 900) -> Image.Image:
    im = Image.new("RGB", (w, h), (90, 140, 200))
    draw = ImageDraw.Draw(im)
    for x in range(0, w, 40):  # some texture, so the encoders have real work
        draw.line([(x, 0), (w - x, h)], fill=(40 + x % 200, 180, 90), width=3)
    draw.rectangle([0, 0, w // 5, h // 5], fill=RED)
    return im


def stored(im: Image.Image, orientation: int) -> Image.Image:
    """The pixels as a phone stores them for an EXIF orientation (a viewer undoes it)."""
    undo = {1: None, 3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}
    return im if undo[orientation] is None else im.transpose(undo[orientation])


def phone_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (39.0, 5.0, 3.0), 3: "E", 4: (117.0, 12.0, 3.0)}
    return exif


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + struct.pack(">3i", *(round(v * 65536) for v in (x, y, z)))


def p3_profile() -> bytes:
    """A Display P3 matrix/TRC ICC v2 profile (primaries adapted to D50), built by hand."""
    desc = b"Display P3 (test)\0"
    tags = {
        b"desc": b"desc\0\0\0\0" + struct.pack(">I", len(desc)) + desc + b"\0" * 12 + b"\0" * 67,
        b"wtpt": _xyz(0.9642, 1.0, 0.8249),
        b"rXYZ": _xyz(0.5151, 0.2412, -0.0011), b"gXYZ": _xyz(0.2919, 0.6922, 0.0419),
        b"bXYZ": _xyz(0.1572, 0.0666, 0.7841),
        **{t: b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0233) + b"\0\0" for t in (b"rTRC", b"gTRC", b"bTRC")},
    }
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, data in tags.items():
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ " + b"\0" * 12
              + b"acsp" + b"\0" * 24 + struct.pack(">I", 0) + _xyz(0.9642, 1.0, 0.8249)[8:])
    header += b"\0" * (128 - len(header))
    return header + struct.pack(">I", len(tags)) + table + body


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def run(path: Path, cache: Path, settings: ImageSettings | None = None) -> ImageInfo:
    return process(path, path.name + "-digest", settings or ImageSettings(), cache)


def files_of(info: ImageInfo, cache: Path) -> list[Path]:
    return [entry_dir(cache, info.key) / r.name for r in info.renditions()]


def is_red(px: tuple[int, ...]) -> bool:
    return px[0] > 170 and px[1] < 80 and px[2] < 90


def assert_clean_and_upright(path: Path) -> None:
    data = path.read_bytes()
    for leak in LEAKS:
        assert leak not in data, (path.name, leak)
    if path.suffix == ".svg":
        return
    with Image.open(path) as im:
        assert len(im.getexif()) == 0, path.name
        assert not {"exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp", "Software"} & set(im.info), \
            (path.name, im.info.keys())
        rgb = im.convert("RGB")
        w, h = rgb.size
        assert is_red(rgb.getpixel((w // 20, h // 20))), (path.name, rgb.getpixel((w // 20, h // 20)))
        assert not is_red(rgb.getpixel((w - 1 - w // 20, h // 20))), path.name  # the top-right is not red
        assert not is_red(rgb.getpixel((w // 20, h - 1 - h // 20))), path.name


def write_inputs(folder: Path) -> list[Path]:
    """A rotated phone JPEG, an iPhone HEIC, a PNG with text chunks, an animated GIF with a comment."""
    folder.mkdir(parents=True, exist_ok=True)
    up = upright_picture()
    jpg = folder / "phone.jpg"
    stored(up, 6).save(jpg, "JPEG", quality=90, exif=phone_exif(6), icc_profile=p3_profile(), xmp=XMP,
                       comment=b"secret comment")
    heic = folder / "iphone.heic"
    stored(upright_picture(640, 480), 6).save(heic, "HEIF", quality=80, exif=phone_exif(6).tobytes(), xmp=XMP)
    png = folder / "chart.png"
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "secret text")
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    up.save(png, "PNG", pnginfo=text, exif=phone_exif(1), icc_profile=p3_profile())
    gif = folder / "anim.gif"
    frames = [up.resize((240, 180)), up.resize((240, 180)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)]
    frames[1].paste(RED, (0, 0, 48, 36))
    frames[1].paste((90, 140, 200), (0, 144, 48, 180))
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:], duration=[200, 300], loop=0,
                   comment=b"secret comment")
    return [jpg, heic, png, gif]


def test_every_output_is_metadata_free_and_upright(tmp_path: Path, cache: Path) -> None:
    kinds = {}
    for path in write_inputs(tmp_path / "in"):
        info = run(path, cache, ImageSettings(originals=True))
        kinds[path.name] = info.kind
        sizes = {"anim.gif": (240, 180), "iphone.heic": (640, 480)}  # x265 is slow: a small HEIC
        assert (info.width, info.height) == sizes.get(path.name, (1200, 900))
        for out in files_of(info, cache):
            assert_clean_and_upright(out)
    assert kinds == {"phone.jpg": "photo", "iphone.heic": "photo", "chart.png": "graphic", "anim.gif": "animated"}


def test_heic_is_rotated_once(tmp_path: Path) -> None:
    # pillow-heif applies the rotation itself and resets EXIF orientation to 1: a second turn would be wrong
    path = tmp_path / "iphone.heic"
    stored(upright_picture(400, 300), 6).save(path, "HEIF", exif=phone_exif(6).tobytes())
    with Image.open(path) as im:
        assert imagefmt.upright_size(im) == (400, 300)
        assert is_red(imagefmt.decode(im, None).convert("RGB").getpixel((10, 10)))


def test_renditions_never_upscale(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "a.jpg"
    upright_picture(1200, 900).save(path)
    info = run(path, cache)
    assert [(r.name, r.width, r.height) for r in info.sources] == [
        ("480.webp", 480, 360), ("960.webp", 960, 720), ("1200.webp", 1200, 900)]
    assert (info.fallback.name, info.fallback.width, info.fallback.mime) == ("960.jpg", 960, "image/jpeg")
    assert [(r.name, r.width, r.height) for r in info.thumb] == [("thumb.webp", 360, 270), ("thumb.jpg", 360, 270)]
    assert info.original is None
    small = tmp_path / "small.jpg"
    upright_picture(300, 200).save(small)
    info = run(small, cache)
    assert [(r.width, r.height) for r in info.sources] == [(300, 200)]
    assert (info.fallback.width, info.fallback.height) == (300, 200)
    assert [(r.width, r.height) for r in info.thumb] == [(267, 200)] * 2  # 4:3 crop, not blown up to 360x270
    for r in info.renditions():
        with Image.open(entry_dir(cache, info.key) / r.name) as im:
            assert im.size == (r.width, r.height)


def test_thumbnail_is_centre_crop(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "pano.jpg"
    im = Image.new("RGB", (1800, 400), (0, 160, 0))
    im.paste(RED, (600, 0, 1200, 400))
    im.save(path, quality=95)
    info = run(path, cache)
    with Image.open(entry_dir(cache, info.key) / "thumb.jpg") as thumb:
        assert thumb.size == (360, 270)
        assert all(is_red(thumb.getpixel((x, 135))) for x in (5, 180, 354))


def test_animation_stays_animated(tmp_path: Path, cache: Path) -> None:
    frames = [Image.new("RGB", (2000, 100), c) for c in (RED, (0, 0, 255), (0, 200, 0))]
    for fmt in ("GIF", "WEBP"):
        path = tmp_path / f"anim.{fmt.lower()}"
        frames[0].save(path, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
        info = run(path, cache)
        assert info.kind == "animated" and info.sources == ()
        assert (info.fallback.width, info.fallback.height) == (1600, 80)  # capped at the widest srcset width
        with Image.open(entry_dir(cache, info.key) / info.fallback.name) as out:
            assert out.format == fmt and out.n_frames == 3
        assert [r.mime for r in info.thumb] == ["image/webp", "image/png" if fmt == "GIF" else "image/jpeg"]


def test_cmyk_jpegs_keep_their_colours(tmp_path: Path, cache: Path) -> None:
    cmyk = Image.new("CMYK", (400, 300), (0, 0, 0, 0))
    cmyk.paste((0, 255, 255, 0), (0, 0, 200, 300))  # red on the left, white on the right
    adobe = tmp_path / "adobe.jpg"
    cmyk.save(adobe, quality=95)  # Pillow writes Adobe's inverted CMYK with the APP14 marker
    data = adobe.read_bytes()
    assert b"Adobe" in data
    # The same picture as plain (non-inverted) CMYK without the Adobe marker.
    buf = io.BytesIO()
    Image.eval(cmyk, lambda v: 255 - v).save(buf, "JPEG", quality=95)
    raw = buf.getvalue()
    start = raw.index(b"\xff\xee")
    plain = tmp_path / "plain.jpg"
    plain.write_bytes(raw[:start] + raw[start + 2 + struct.unpack(">H", raw[start + 2:start + 4])[0]:])
    for path in (adobe, plain):
        info = run(path, cache)
        for r in info.renditions():
            with Image.open(entry_dir(cache, info.key) / r.name) as out:
                rgb = out.convert("RGB")
                assert is_red(rgb.getpixel((rgb.width // 4, rgb.height // 2))), (path.name, r.name)
                assert min(rgb.getpixel((rgb.width * 3 // 4, rgb.height // 2))) > 230


def rgb16_png(w: int, h: int, value: int) -> bytes:
    """A 16-bit-per-channel RGB PNG (Pillow cannot write one)."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    rows = b"".join(b"\0" + struct.pack(">H", value) * 3 * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path: Path, cache: Path) -> None:
    grey16, grey32, rgb16 = tmp_path / "grey16.png", tmp_path / "grey32.tif", tmp_path / "rgb16.png"
    Image.new("I;16", (300, 200), 32768).save(grey16)
    Image.new("I", (300, 200), 32768).save(grey32)  # mode I: 16-bit samples in 32-bit integers
    rgb16.write_bytes(rgb16_png(300, 200, 32768))
    for path in (grey16, grey32, rgb16):
        info = run(path, cache)
        for r in info.renditions():
            with Image.open(entry_dir(cache, info.key) / r.name) as out:
                assert all(abs(v - 128) <= 2 for v in out.convert("RGB").getpixel((50, 50))), (path.name, r.name)


def test_display_p3_is_converted_to_srgb(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "p3.jpg"
    Image.new("RGB", (400, 300), (180, 80, 80)).save(path, quality=95, icc_profile=p3_profile())
    info = run(path, cache)
    with Image.open(entry_dir(cache, info.key) / info.fallback.name) as out:
        r, g, _ = out.getpixel((200, 150))
    assert "icc_profile" not in out.info
    assert r > 188 and g < 76  # P3's red is redder than sRGB's: the same numbers must get more saturated


def test_transparency_kept_or_flattened_on_white(tmp_path: Path, cache: Path) -> None:
    im = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    im.paste((*RED, 255), (0, 0, 200, 300))
    png = tmp_path / "logo.png"
    im.save(png)
    info = run(png, cache)
    for r in info.renditions():
        with Image.open(entry_dir(cache, info.key) / r.name) as out:
            assert out.convert("RGBA").getpixel((out.width - 5, 5))[3] == 0, r.name
    lossy = tmp_path / "photo.webp"
    im.save(lossy, "WEBP", quality=80)
    info = run(lossy, cache)
    assert info.kind == "photo" and info.fallback.mime == "image/jpeg"
    with Image.open(entry_dir(cache, info.key) / info.fallback.name) as out:
        assert min(out.getpixel((out.width - 5, 5))) > 240  # white, not black
    with Image.open(entry_dir(cache, info.key) / info.sources[0].name) as out:
        assert out.mode == "RGBA" and out.getpixel((out.width - 5, 5))[3] == 0
    gif = tmp_path / "icon.gif"
    im.save(gif)  # Pillow turns the alpha into a transparent palette index
    info = run(gif, cache)
    assert info.kind == "graphic"
    with Image.open(entry_dir(cache, info.key) / info.sources[0].name) as out:
        assert out.convert("RGBA").getpixel((out.width - 5, 5))[3] == 0


def test_screenshots_stay_lossless_photos_in_png_do_not(tmp_path: Path, cache: Path) -> None:
    shot = Image.new("RGB", (1080, 1600), (245, 245, 245))
    draw = ImageDraw.Draw(shot)
    for row in range(40):
        draw.text((40, 20 + row * 38), "通知 Notice 2025-06-03 第 12 期 " * 2, fill=(30, 30, 30))
    shot_path = tmp_path / "shot.png"
    shot.save(shot_path)
    info = run(shot_path, cache)
    assert info.kind == "graphic" and info.fallback.mime == "image/png"
    assert b"VP8L" in (entry_dir(cache, info.key) / "960.webp").read_bytes()[:40]
    noisy = tmp_path / "photo.png"  # an editor's photo exported as PNG: lossless would be 9x bigger
    smooth = Image.effect_noise((30, 20), 80).resize((600, 400), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((600, 400), 12)
    Image.merge("RGB", [Image.blend(smooth, grain, 0.3), smooth, grain]).save(noisy)
    info = run(noisy, cache)
    assert b"VP8 " in (entry_dir(cache, info.key) / "600.webp").read_bytes()[:40]


def test_long_screenshot_skips_webp_sizes_past_its_limit(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "long.png"  # WeChat-style long image: WebP cannot be taller than 16383 px
    Image.new("RGB", (200, 20000), (250, 250, 250)).save(path)
    info = run(path, cache, ImageSettings(widths=(100, 200), fallback_width=200))
    assert [(r.width, r.height) for r in info.sources] == [(100, 10000)]
    assert (info.fallback.mime, info.fallback.width, info.fallback.height) == ("image/png", 200, 20000)


def test_format_comes_from_content_not_name(tmp_path: Path, cache: Path) -> None:
    png_as_jpg = tmp_path / "really-png.jpg"
    upright_picture(400, 300).save(png_as_jpg, "PNG")
    heic_as_jpg = tmp_path / "really-heic.jpg"
    upright_picture(400, 300).save(heic_as_jpg, "HEIF")
    assert run(png_as_jpg, cache).kind == "graphic"
    assert run(heic_as_jpg, cache).kind == "photo"
    for fmt in ("BMP", "TIFF", *(["AVIF"] if features.check("avif") else [])):
        path = tmp_path / f"x.{fmt.lower()}"
        upright_picture(400, 300).save(path, fmt)
        assert run(path, cache).kind == "photo", fmt


def png_header(w: int, h: int) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def _truncated() -> bytes:
    buf = io.BytesIO()
    upright_picture(400, 300).save(buf, "JPEG")
    return buf.getvalue()[: len(buf.getvalue()) // 2]


@pytest.mark.parametrize(("content", "needle"), [
    (b"", "空的"),
    (_truncated(), "损坏"),
    (b"%PDF-1.7\n" + b"x" * 100, "不支持"),
    (b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom" + b"\0" * 64, "不支持"),
    (png_header(50000, 50000), "像素太多"),
    (png_header(0, 10), "为 0"),
    (b"GIF89a\0\0\0\0\0\0\0" + b"\0" * 20, "为 0"),
    (b"\x89PNG\r\n\x1a\n" + b"\xff" * 40, "损坏"),
])
def test_bad_files_raise_bilingual_errors(tmp_path: Path, cache: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "bad.jpg"
    path.write_bytes(content)
    with pytest.raises(ImageError) as caught:
        run(path, cache)
    assert needle in caught.value.zh and caught.value.en.isascii() and str(caught.value).startswith(caught.value.zh)
    assert not list(cache.rglob("*.*")) if cache.exists() else True  # nothing half-written
    again = pickle.loads(pickle.dumps(caught.value))  # crosses the worker boundary intact
    assert (again.zh, again.en) == (caught.value.zh, caught.value.en)


def test_bomb_limit_follows_settings_and_warning_is_an_error(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(png_header(1500, 1000))  # 1.5 MP: between the limit and twice it, Pillow only warns
    with pytest.raises(ImageError, match="像素太多"):
        run(path, cache, ImageSettings(max_megapixels=1))
    assert Image.MAX_IMAGE_PIXELS != 1_000_000  # restored for the rest of the process


def test_draft_decodes_jpeg_at_reduced_scale_with_orientation(tmp_path: Path) -> None:
    path = tmp_path / "tall.jpg"
    stored(upright_picture(900, 1600), 6).save(path, exif=phone_exif(6))  # stored 1600x900
    with Image.open(path) as im:
        assert imagefmt.upright_size(im) == (900, 1600)
        out = imagefmt.decode(im, (400, 700))
    assert out.size == (450, 800)  # 1/2 scale: 1/4 would be 225 wide, less than the 400 needed
    assert is_red(out.getpixel((10, 10)))


def test_phone_mpo_jpeg_is_a_photo_decoded_in_draft_mode(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "portrait.jpg"  # many phones add a depth map: Pillow calls such a JPEG "MPO"
    up = upright_picture(2000, 1500)
    up.save(path, "MPO", save_all=True, append_images=[up.resize((200, 150))])
    with Image.open(path) as im:
        assert im.format == "MPO"
        assert imagefmt.decode(im, (900, 600)).size == (1000, 750)
    info = run(path, cache, ImageSettings(widths=(480, 900)))
    assert info.kind == "photo" and info.fallback.mime == "image/jpeg"


def test_cache_hit_does_not_decode(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.jpg"
    upright_picture(600, 400).save(path)
    first = run(path, cache)
    assert lookup(path.name + "-digest", ImageSettings(), cache) == first

    def fail(*_: object, **__: object) -> None:
        raise AssertionError("decoded on a cache hit")

    monkeypatch.setattr(Image, "open", fail)
    assert run(path, cache) == first
    assert lookup("other-digest", ImageSettings(), cache) is None
    assert lookup(path.name + "-digest", ImageSettings(webp_quality=70), cache) is None


def _edits() -> list[object]:
    def setter(field: str, value: object) -> object:
        return lambda doc: doc.__setitem__(field, value)

    return [
        setter("width", "1200"), setter("width", True), setter("width", -1), setter("kind", "script"),
        setter("key", "0" * 40), setter("sources", {}), setter("original", 7),
        lambda doc: doc["fallback"].__setitem__("name", "../../etc/passwd"),
        lambda doc: doc["fallback"].__setitem__("mime", "text/html"),
        lambda doc: doc["thumb"].append({"name": "thumb.png", "width": 1, "height": 1, "mime": "image/png"}),
        lambda doc: doc["files"].__setitem__("480.webp", 3),
        lambda doc: doc.clear(),
    ]


@pytest.mark.parametrize("edit", range(len(_edits())))
def test_crafted_meta_json_is_a_miss(tmp_path: Path, cache: Path, edit: int) -> None:
    path = tmp_path / "a.jpg"
    upright_picture(600, 400).save(path)
    info = run(path, cache)
    meta = entry_dir(cache, info.key) / "meta.json"
    doc = json.loads(meta.read_text())
    _edits()[edit](doc)  # type: ignore[operator]
    meta.write_text(json.dumps(doc))
    assert lookup(path.name + "-digest", ImageSettings(), cache) is None


def test_damaged_entries_are_misses_and_get_replaced(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "a.jpg"
    upright_picture(600, 400).save(path)
    info = run(path, cache)
    folder = entry_dir(cache, info.key)
    for damage in (lambda: (folder / "meta.json").write_bytes(b"\x80not json"),
                   lambda: (folder / "meta.json").write_text("[]"),
                   lambda: (folder / "480.webp").unlink(),
                   lambda: (folder / "thumb.jpg").write_bytes(b"short")):
        damage()
        assert lookup(path.name + "-digest", ImageSettings(), cache) is None
        assert run(path, cache) == info  # processed again, the broken entry replaced
        assert lookup(path.name + "-digest", ImageSettings(), cache) == info


def test_failed_processing_leaves_nothing(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.jpg"
    upright_picture(600, 400).save(path)
    real = images.imagecache.to_json

    def crash(*args: object) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(images.imagecache, "to_json", crash)
    with pytest.raises(ImageError, match="缓存"):
        run(path, cache)
    assert [p.name for p in cache.iterdir() if p.name.startswith(".")] == []
    monkeypatch.setattr(images.imagecache, "to_json", real)
    assert lookup(path.name + "-digest", ImageSettings(), cache) is None


def _worker(path: Path, cache: Path, barrier: object, results: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    results.put(run(path, cache))  # type: ignore[attr-defined]


def test_two_processes_on_one_image_leave_one_valid_entry(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "a.jpg"
    upright_picture(1200, 900).save(path)
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(path, cache, barrier, results)) for _ in range(2)]
    for p in procs:
        p.start()
    infos = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert infos[0] == infos[1] == lookup(path.name + "-digest", ImageSettings(), cache)
    assert sorted(p.name for p in cache.iterdir()) == [infos[0].key[:2]]  # no temp folder left behind


def test_prune_keeps_only_live_keys_and_removes_stale_temp(tmp_path: Path, cache: Path) -> None:
    infos = []
    for name in ("a.jpg", "b.jpg"):
        upright_picture(300, 200).save(tmp_path / name)
        infos.append(run(tmp_path / name, cache))
    stale = cache / ".tmp-dead"
    stale.mkdir()
    fresh_tmp = cache / ".tmp-working"
    fresh_tmp.mkdir()
    os.utime(stale, (0, 0))
    prune(cache, {infos[0].key})
    assert entry_dir(cache, infos[0].key).is_dir() and not entry_dir(cache, infos[1].key).exists()
    assert not stale.exists() and fresh_tmp.exists()  # a running worker's folder is not pulled away


def test_svg_is_cleaned_and_sized(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "logo.svg"
    path.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60" onload="alert(1)">'
                     b'<script>alert(1)</script><rect width="10" height="10"/></svg>')
    info = run(path, cache, ImageSettings(originals=True))
    assert (info.kind, info.width, info.height, info.sources, info.thumb) == ("vector", 120, 60, (), ())
    assert info.fallback.mime == "image/svg+xml" and info.original == info.fallback
    data = (entry_dir(cache, info.key) / info.fallback.name).read_bytes()
    assert b"script" not in data and b"onload" not in data and b"<rect" in data


def test_image_settings_are_hashable_and_key_the_cache() -> None:
    assert hash(ImageSettings()) == hash(ImageSettings())
    assert images.cache_key("d", ImageSettings()) != images.cache_key("d", ImageSettings(jpeg_quality=90))
    assert ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(p3_profile()))).startswith("Display")
