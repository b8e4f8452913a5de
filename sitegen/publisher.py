"""site.yaml's `publisher:`: whose column this is, for the header, the footer and the printed page.

Chinese public-institution sites carry the organisation, its address and telephone, and two
filing numbers (ICP备案号 and 公安机关备案号) that readers and inspectors look for at the foot
of every page. Every field is optional; templates show only the ones that are set.

Parsing is pure (text to Publisher, every problem at the line of its own key); the logo is
checked against static/ by `with_logo`, where the build can see the site folder, and still
names the site.yaml line. Values are read as the characters typed, so a number such as
`telephone: 0571...` is never turned into an integer by YAML.
"""

from __future__ import annotations

import io
import re
from dataclasses import fields, replace
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import ParseError

import yaml
from PIL import Image, UnidentifiedImageError

from sitegen.errors import Problem, SiteError, did_you_mean
from sitegen.imagefmt import sniff
from sitegen.imagemodel import ImageError
from sitegen.model import Publisher, SiteConfig
from sitegen.svg import clean_svg, svg_size
from sitegen.yamldoc import compose

KEYS = ("name", "logo", "address", "telephone", "icp", "police", "copyright")
assert set(KEYS) <= {f.name for f in fields(Publisher)}
# What editors are likely to write instead, in pinyin, English or Chinese.
_ALIASES = {
    "phone": "telephone", "tel": "telephone", "电话": "telephone", "dianhua": "telephone",
    "地址": "address", "名称": "name", "单位": "name", "主办单位": "name", "organization": "name",
    "organisation": "name", "beian": "icp", "备案号": "icp", "icp备案号": "icp", "ICP备案号": "icp",
    "gongan": "police", "公安备案号": "police", "公安机关备案号": "police", "版权": "copyright", "标志": "logo",
}
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# 京ICP备12345678号-1 (a site's number after the hyphen), or 京ICP证030173号 for a commercial licence.
ICP = re.compile(rf"[{_PROVINCES}]ICP[备证] ?\d{{5,12}}号?(?:-\d{{1,3}})?", re.ASCII)
# 京公网安备 11010502030143号: the 14 digits are also the filing page's query code.
POLICE = re.compile(rf"[{_PROVINCES}]公网安备 ?(\d{{14}})号?", re.ASCII)
# One number: 0571-87654321, (0571) 8765 4321, +86 571 8765 4321, 12320; the tel: link is built from its digits.
TELEPHONE = re.compile(r"\+?(?:\(\d{2,4}\) ?)?\d[\d -]{2,20}\d", re.ASCII)
# What every browser shows in an <img>, and what sitegen.assets versions (so a new logo re-renders the pages).
LOGO_FORMATS = {"PNG", "JPEG", "WEBP", "SVG"}
_LOGO_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".svg"}
_NULL = "tag:yaml.org,2002:null"
_BAD_IN_PATH = re.compile(r"[\s#?%\\]")


def _publisher_node(text: str) -> yaml.Node | None:
    """The value of the top-level `publisher` key, from the YAML node graph, which keeps every line."""
    root = compose(text)
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "publisher":
                return value  # type: ignore[no-any-return]
    return None


def key_line(text: str, key: str) -> int | None:
    """The site.yaml line of `publisher.<key>`."""
    node = _publisher_node(text)
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return int(k.start_mark.line) + 1
    return None


def parse_publisher(text: str, path: str, line: int) -> tuple[Publisher | None, list[Problem]]:
    """The `publisher:` mapping of site.yaml `text` (its key at `line`); None when it has errors."""
    problems: list[Problem] = []
    node = _publisher_node(text)
    if node is None or (isinstance(node, yaml.ScalarNode) and not node.value):
        return Publisher(), problems  # `publisher:` with nothing under it: nothing to show
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, line, "publisher 应是多项设置：在 publisher: 下面每行缩进两个空格写一项，"
                                            "例如“  name: 江北市人民医院”“  telephone: 0571-87654321”。",
                                "`publisher` must be a mapping of name, logo, address, telephone, icp, police, "
                                "copyright"))
        return None, problems
    values: dict[str, str] = {}
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        at = key_node.start_mark.line + 1
        key = str(key_node.value)
        if key in seen:
            first = seen[key]
            problems.append(Problem(path, at, f"publisher.{key} 重复出现（第一次在第 {first} 行），请删除其中一个。",
                                    f"duplicate key publisher.{key} (first at line {first})"))
            continue
        seen[key] = at
        if key not in KEYS:
            problems.append(_unknown(path, at, key))
        elif not isinstance(value_node, yaml.ScalarNode):
            problems.append(Problem(path, at, f"publisher.{key} 应是一段文字，不是列表或多项设置。",
                                    f"publisher.{key} must be text, not a list or mapping"))
        else:
            # The characters typed (YAML would read 0571 as a number), and, as elsewhere in site.yaml,
            # a ` # comment` after the value is a comment; `~` or `null` is nothing.
            raw = "" if value_node.tag == _NULL else str(value_node.value)
            value = " ".join(raw.split())  # a folded or multi-line value reads as one line
            problem = _check(key, value, path, at)
            if problem is not None:
                problems.append(problem)
            elif value:
                values[key] = _logo_path(value) if key == "logo" else value
    return (None if problems else Publisher(**values)), problems


def _unknown(path: str, line: int, key: str) -> Problem:
    hint = [_ALIASES[key]] if key in _ALIASES else did_you_mean(key, KEYS)
    known = "、".join(KEYS)
    return Problem(path, line, f"publisher 中的未知设置“{key}”" + (f"，是否想写“{hint[0]}”？" if hint else
                                                               f"。可用设置：{known}。"),
                   f"unknown publisher setting {key!r}" + (f"; did you mean {hint[0]!r}?" if hint else
                                                          f"; known: {', '.join(KEYS)}"))


def _check(key: str, value: str, path: str, line: int) -> Problem | None:
    if not value:
        return None
    if key == "icp" and not ICP.fullmatch(value):
        return Problem(path, line, f"ICP备案号“{value}”的格式不对，应像 京ICP备12345678号 或 京ICP备12345678号-1"
                                   "（省份简称 + ICP备 + 数字 + 号），请从工信部备案系统复制。",
                       f"icp {value!r} does not look like an ICP filing number such as 京ICP备12345678号-1")
    if key == "police" and not POLICE.fullmatch(value):
        return Problem(path, line, f"公安机关备案号“{value}”的格式不对，应像 京公网安备11010502030143号"
                                   "（省份简称 + 公网安备 + 14 位数字 + 号），请从全国互联网安全管理服务平台复制。",
                       f"police {value!r} does not look like a public-security filing number such as "
                       "京公网安备11010502030143号 (14 digits)")
    if key == "telephone" and not TELEPHONE.fullmatch(value):
        return Problem(path, line, f"电话“{value}”不是一个电话号码：只写一个号码，由数字、- 和空格组成，"
                                   "例如 0571-87654321 或 (0571) 8765 4321。",
                       f"telephone {value!r} must be one phone number of digits, - and spaces, e.g. 0571-87654321")
    if key == "logo":
        return _logo_problem(value, path, line)
    return None


def _logo_path(value: str) -> str:
    """`logo.svg`, `static/logo.svg` and `/static/logo.svg` all name static/logo.svg."""
    rest = value.removeprefix("/").removeprefix("static/")
    return f"static/{rest}"


def _logo_problem(value: str, path: str, line: int) -> Problem | None:
    if "://" in value or value.startswith("//"):
        return Problem(path, line, f"logo“{value}”是一个网址。标志图片请放进 static/ 文件夹，"
                                   "这里写 static/logo.png 这样的路径：页面不从其他网站加载任何东西。",
                       f"logo {value!r} is a URL; put the image in static/ and write its path, e.g. static/logo.png")
    parts = PurePosixPath(_logo_path(value)).parts
    if _BAD_IN_PATH.search(value) or any(p in ("..", ".") or p.startswith(".") for p in parts):
        return Problem(path, line, f"logo“{value}”不可用：应是 static/ 中的文件，如 static/logo.png；文件名不能含空格、"
                                   "# ? % \\，也不能用 .. 或以点开头的名称。",
                       f"logo {value!r} must be a file in static/, e.g. static/logo.png, without spaces, # ? % \\, "
                       "'..' or hidden names")
    if PurePosixPath(value).suffix.lower() not in _LOGO_SUFFIXES:
        return Problem(path, line, f"logo“{value}”不是网页能显示的图片：请用 PNG、JPEG、WebP 或 SVG 格式"
                                   "（文件名以 .png .jpg .webp .svg 结尾）。",
                       f"logo {value!r} must be a PNG, JPEG, WebP or SVG image")
    return None


def with_logo(config: SiteConfig, site_dir: Path, text: str) -> SiteConfig:
    """The config with the logo's pixel size, read from static/; SiteError at the logo's line if it is unusable."""
    logo = config.publisher.logo
    if not logo:
        return config
    line = key_line(text, "logo")
    file = site_dir / logo
    static = (site_dir / "static").resolve()
    try:
        inside = file.resolve().is_relative_to(static)
        data = file.read_bytes() if inside and file.is_file() else None
    except OSError:
        data = None
    if data is None:
        raise SiteError([Problem("site.yaml", line, f"找不到 logo 图片“{logo}”：请把图片放进 static/ 文件夹，"
                                                    "并检查文件名（包括大小写和扩展名）。",
                                 f"logo {logo!r} not found; put the image in static/ and check its name")])
    size = _image_size(data)
    if size is None:
        raise SiteError([Problem("site.yaml", line, f"logo“{logo}”不是有效的 PNG、JPEG、WebP 或 SVG 图片"
                                                    "（文件可能已损坏，或扩展名与内容不符），请重新导出。",
                                 f"logo {logo!r} is not a valid PNG, JPEG, WebP or SVG image")])
    return replace(config, publisher=replace(config.publisher, logo_size=size))


def _image_size(data: bytes) -> tuple[int, int] | None:
    fmt = sniff(data[:64])
    if fmt not in LOGO_FORMATS:
        return None
    if fmt == "SVG":
        try:
            return svg_size(clean_svg(data))  # cleaning proves it is an SVG document, not HTML or broken XML
        except (ImageError, ParseError, ValueError):
            return None
    try:
        with Image.open(io.BytesIO(data)) as im:
            size: tuple[int, int] = im.size
            return size if min(size) > 0 else None
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


