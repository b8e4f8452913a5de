"""docs/编辑指南.md quotes sitegen's messages word for word: each quote must still be what sitegen prints.

Editors compare the guide with their screen. Every message line the guide quotes in a code block
(`content/…: 错误：…`, `…: 警告：…`, check's verdicts) is looked for, exactly, in the output of
sitegen check (errors) or sitegen build (warnings, which check does not print) on a small site made
with that one mistake, at the path and line the guide shows. A reworded message fails here with the
guide's line to update. Dates in the future warning are compared digit-blind, so the guide may show a
plausible year while the test uses one that stays in the future.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.conftest import ROOT

GUIDE = ROOT / "docs" / "编辑指南.md"
COLUMN = ROOT / "tests" / "sites" / "column" / "content"
PHOTO = COLUMN / "2024" / "2024-07-01-zhu-ti-dang-ri" / "photo1.jpg"
FORM = COLUMN / "2025" / "2025-06-03-yan-jiang-bi-sai-tong-zhi" / "附件1：报名表.docx"
SEED = COLUMN / "2020" / "2020-02-22-tianjin-du-zhan.md"
CONFIG = """\
title: 党建园地
site_url: https://www.example.cn  # as a real site has: without it every build warns
base_path: /dangjian/
categories:
  - name: 廉洁微课堂
  - name: 支部风采
  - name: 学习园地
  - name: 通知公告
"""
QUOTED = re.compile(r"^(content\S*: (错误|警告)：|共 \d+ 个错误，检查未通过|检查通过：)")
FLAT = "content/2024/2024-07-01-qi-yi.md"
FOLDER = "content/2024/2024-07-01-qi-yi/index.md"


def head(title: str = "七一主题党日活动", date: str = "2024-07-01 17:20", category: str = "支部风采",
         extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ncategory: {category}\n{extra}---\n\n正文。\n"


def raw(title_line: str = "title: 七一主题党日活动", date_line: str = "date: 2024-07-01", fence: str = "---",
        extra: str = "") -> str:
    return f"{fence}\n{title_line}\n{date_line}\ncategory: 支部风采\n{extra}---\n\n正文。\n"


# name -> (files, command): each site holds one mistake, where the guide shows it.
CASES: dict[str, tuple[dict[str, str | bytes | Path], str]] = {
    "wide colon": ({FLAT: raw(title_line="title：七一主题党日活动")}, "check"),
    "no space": ({FLAT: raw(date_line="date:2024-07-01")}, "check"),
    "dash fence": ({FLAT: raw(fence="———")}, "check"),
    "colon in title": ({FLAT: head(title="内科党支部: 七一主题党日活动")}, "check"),
    "curly quotes": ({FLAT: head(title="“七一主题党日活动”")}, "check"),
    "hash": ({FLAT: head(extra="source: 人民网 #转载\n")}, "check"),
    "tab": ({FLAT: raw(extra="extra:\n\tnote: 1\n")}, "check"),
    "no title": ({FLAT: "---\ndate: 2024-07-01 17:20\ncategory: 支部风采\n---\n\n正文。\n"}, "check"),
    "bad date": ({FLAT: head(date="7月1日下午")}, "check"),
    "no such date": ({FLAT: head(date="2024-06-31")}, "check"),
    "category": ({FLAT: head(category="支部风彩")}, "check"),
    "category in serve": ({"content/2024/2024-07-01-zhu-ti-dang-ri/index.md": head(category="支部风彩")}, "check"),
    "field": ({FLAT: head(extra="souce: 内科党支部\n")}, "check"),
    "draft": ({FLAT: head(extra="draft: 是\n")}, "check"),
    "gbk": ({FLAT: head().encode("gbk")}, "check"),
    "txt": ({"content/2024/通知.md.txt": head()}, "check"),
    "same url": ({FLAT: head(), "content/2024/七一/2024-07-01-qi-yi.md": head(title="七一活动")}, "check"),
    "photo": ({FOLDER: head() + '\n![党员重温入党誓词](photo01.jpg "图为全体党员重温入党誓词")\n',
               "content/2024/2024-07-01-qi-yi/photo1.jpg": PHOTO}, "check"),
    "attachment": ({FOLDER: head() + "\n请下载[报名表](报名表.docx)。\n",
                    "content/2024/2024-07-01-qi-yi/附件1：报名表.docx": FORM}, "check"),
    "link": ({FLAT: head() + "\n详见[上一期](../2020/2020-02-22-tianjin.md)。\n",
              "content/2020/2020-02-22-tianjin-du-zhan.md": SEED}, "check"),
    "exe": ({FOLDER: head() + "\n请下载[安装包](setup.exe)。\n", "content/2024/2024-07-01-qi-yi/setup.exe": b"MZ"},
            "check"),
    "passes": ({FLAT: head()}, "check"),
    "no alt": ({FOLDER: head() + "\n![](photo1.jpg)\n", "content/2024/2024-07-01-qi-yi/photo1.jpg": PHOTO}, "build"),
    "unused": ({FLAT: head(), "content/2024/身份证.jpg": PHOTO}, "build"),
    "future": ({"content/2099/2099-03-05-xue-lei-feng.md": head(date="2099-03-05 09:00")}, "build"),
}


def _quoted() -> list[str]:
    """Message lines in the guide's code blocks."""
    blocks = re.findall(r"^ *```[^\n]*\n(.*?)^ *```", GUIDE.read_text(encoding="utf-8"), re.M | re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if QUOTED.match(line.strip())]


def _key(line: str) -> str:
    return re.sub(r"\d", "0", line) if "还没到" in line else line


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every line sitegen printed for the cases, digit-blind where _key says so."""
    lines: set[str] = set()
    for n, (files, command) in enumerate(CASES.values()):
        site = tmp_path_factory.mktemp(f"guide{n}")
        (site / "site.yaml").write_text(CONFIG, encoding="utf-8")
        for rel, data in files.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Path):
                shutil.copyfile(data, path)
            else:
                path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        args = [command, str(site)] + (["-o", str(site.parent / f"out{n}")] if command == "build" else [])
        lines |= {_key(line.strip()) for line in _run(args, site).splitlines()}
    return lines


def _run(args: list[str], site: Path) -> str:
    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(site)  # messages name files relative to the site, as editors run sitegen in its folder
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main([args[0], ".", *args[2:]])
    finally:
        os.chdir(cwd)
    return out.getvalue() + err.getvalue()


def test_the_guide_quotes_messages() -> None:
    assert len(_quoted()) >= 25, _quoted()


@pytest.mark.parametrize("line", _quoted())
def test_each_quoted_message_is_what_sitegen_prints(printed: set[str], line: str) -> None:
    assert _key(line) in printed, f"docs/编辑指南.md quotes a message sitegen no longer prints:\n{line}"
