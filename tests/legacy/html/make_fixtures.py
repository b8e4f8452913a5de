"""Writes the fixtures that are bytes, not text: the GBK page and the photos and attachments.

Run from anywhere: `python tests/legacy/html/make_fixtures.py`. The output is committed; the script
says how it was made and makes it again byte for byte.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

HERE = Path(__file__).parent

# sources/empirecms-news.html is EmpireCMS 7.5's default news template (e/data/tmp/tempnews1.php)
# filled in, kept in UTF-8 to be read and edited; the fixture is it in GBK, as a GBK site publishes it,
# with no <meta charset>: the site's header template had lost it and browsers guessed GBK from the locale.
EMPIRE = (HERE / "sources" / "empirecms-news.html").read_text(encoding="utf-8")


def _jpeg(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), color).save(out, "JPEG", quality=80)
    return out.getvalue()


FILES: dict[str, bytes] = {
    "empirecms-gbk/news.html": EMPIRE.encode("gbk"),
    "empirecms-gbk/d/file/djyd/2019-10-12/8f3c2a7d1e.jpg": _jpeg((200, 30, 30)),
    "dedecms-mirror/www.dyrmyy.cn/uploads/allimg/200222/1-200222102030.jpg": _jpeg((30, 30, 200)),
    "dedecms-mirror/www.dyrmyy.cn/uploads/soft/200222/1-200222103Q5.doc": b"\xd0\xcf\x11\xe0 test attachment",
    "phpcms-complete/七一主题党日活动_files/20210701093012345.jpg": _jpeg((30, 160, 30)),
    "pbootcms-single/static/upload/image/20220315/1647321234567890.jpg": _jpeg((160, 160, 30)),
    "pbootcms-single/static/upload/file/20220315/1647322000123456.pdf": b"%PDF-1.4\n% test attachment\n%%EOF\n",
}


def main() -> None:
    for name, data in FILES.items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


if __name__ == "__main__":
    main()
