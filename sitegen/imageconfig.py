"""site.yaml's `images:` settings: sizes and qualities of the photo renditions."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from sitegen.errors import Problem, did_you_mean
from sitegen.imagemodel import ImageSettings

_LIMITS = {  # setting -> (lowest, highest)
    "fallback_width": (16, 8000), "thumb_width": (16, 2000), "thumb_height": (16, 2000),
    "webp_quality": (1, 100), "jpeg_quality": (1, 100), "max_megapixels": (1, 1000),
}
_NAMES = [f.name for f in fields(ImageSettings)]


def parse_images(value: Any, path: str, line: int) -> tuple[ImageSettings | None, list[Problem]]:
    """`images: {widths: [480, 960, 1600], webp_quality: 80, originals: false, ...}`."""
    problems: list[Problem] = []

    def fail(zh: str, en: str) -> None:
        problems.append(Problem(path, line, zh, en))

    if not isinstance(value, dict):
        fail("images 应是多项设置，例如 images: {widths: [480, 960, 1600]}。", "`images` must be a mapping")
        return None, problems
    settings = ImageSettings()
    for key, item in value.items():
        if key == "widths":
            ok = isinstance(item, list) and item and all(type(w) is int and 16 <= w <= 8000 for w in item)
            if not ok:
                fail("images.widths 应是 16 到 8000 之间的宽度列表，例如 [480, 960, 1600]。",
                     "images.widths must be a list of widths between 16 and 8000")
            else:
                settings = replace(settings, widths=tuple(sorted(set(item))))
        elif key == "originals":
            if type(item) is not bool:
                fail("images.originals 应是 true 或 false。", "images.originals must be true or false")
            else:
                settings = replace(settings, originals=item)
        elif key in _LIMITS:
            low, high = _LIMITS[key]
            if type(item) is not int or not low <= item <= high:
                fail(f"images.{key} 应是 {low} 到 {high} 之间的整数。", f"images.{key} must be {low}..{high}")
            else:
                settings = replace(settings, **{key: item})
        else:
            hint = did_you_mean(str(key), _NAMES)
            known = "、".join(_NAMES)
            fail(f"未知的图片设置“{key}”" + (f"，是否想写“{hint[0]}”？" if hint else f"。可用设置：{known}。"),
                 f"unknown images setting {key!r}")
    return (settings if not problems else None), problems
