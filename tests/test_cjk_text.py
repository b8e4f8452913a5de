"""Soft line breaks next to Chinese text: no space in the page."""

from __future__ import annotations

import time

import pytest

from sitegen.markup import to_html

JOINED = [
    # A neighbour inside a link, emphasis, inline code or footnote mark.
    ("参见[通知](a.html)\n全文", '<p>参见<a href="a.html">通知</a>全文</p>'),
    ("**重点**\n工作", "<p><strong>重点</strong>工作</p>"),
    ("学习\n[通知](a.html)", '<p>学习<a href="a.html">通知</a></p>'),
    ("_强调_\n内容", "<p><em>强调</em>内容</p>"),
    ("**重点**\n**工作**", "<p><strong>重点</strong><strong>工作</strong></p>"),
    ("运行`sitegen`\n命令", "<p>运行<code>sitegen</code>命令</p>"),
    # ASCII punctuation between Chinese, as the seed article writes it.
    ("全员发动,\n就是集中", "<p>全员发动,就是集中</p>"),
    ("就是*********,\n就是", "<p>就是*********,就是</p>"),
    # Chinese on one side only.
    ("2020年\n2月", "<p>2020年2月</p>"),
    ("使用\nWPS 软件", "<p>使用WPS 软件</p>"),
    ("WPS\n软件", "<p>WPS软件</p>"),
    # Blanks around the break go with it; shared quotes take the side of their text.
    ("防控 \n  阻击战", "<p>防控阻击战</p>"),
    ("“特殊时期”\n“非常之举”", "<p>“特殊时期”“非常之举”</p>"),
    ("——\n中文", "<p>——中文</p>"),
    # Escaped characters, entities and inline HTML are still placeholders when the pass runs.
    ("就是\\*\n中文", "<p>就是*中文</p>"),
    ("&#20013;\nx", "<p>&#20013;x</p>"),
    ("中<span>文</span>\n<b>x</b>", "<p>中<span>文</span><b>x</b></p>"),
    # Every block that holds text.
    ("- 中文\n  续行", "<ul>\n<li>中文续行</li>\n</ul>"),
    ("> 引用\n> 文字", "<blockquote>\n<p>引用文字</p>\n</blockquote>"),
]

KEPT = [
    ("hello\nworld", "<p>hello\nworld</p>"),
    ("2020\n2021", "<p>2020\n2021</p>"),
    ("“hello”\nworld", "<p>“hello”\nworld</p>"),
    ("x &gt;\ny", "<p>x &gt;\ny</p>"),
    ("**hello**”\nworld", "<p><strong>hello</strong>”\nworld</p>"),
    # Hard breaks stay: two trailing blanks, or a backslash as in CommonMark.
    ("中文  \n中文", "<p>中文<br>\n中文</p>"),
    ("中文\\\n中文", "<p>中文<br>\n中文</p>"),
    ("hello\\\nworld", "<p>hello<br>\nworld</p>"),
    # Code is never changed.
    ("```\n中文\n中文\n```", "<pre><code>中文\n中文\n</code></pre>"),
    ("    中文\n    中文", "<pre><code>中文\n中文\n</code></pre>"),
    ("`中文\n中文`", "<p><code>中文\n中文</code></p>"),
    # An image is no character.
    ("![图](x.png)\n文字", '<p><img alt="图" src="x.png">\n文字</p>'),
    # attr_list still finds `{: .x}` on the paragraph's last line.
    ("段落\n{: .lead}", '<p class="lead">段落</p>'),
]


@pytest.mark.parametrize(("text", "html"), JOINED + KEPT)
def test_soft_breaks(text: str, html: str) -> None:
    assert to_html(text) == html


def test_footnote_mark_before_a_break() -> None:
    html = to_html("准则[^1]\n以下简称\n\n[^1]: 脚注")
    assert '<a class="footnote-ref" href="#fn:1">1</a></sup>以下简称' in html


def test_soft_break_pass_is_linear() -> None:
    """Breaks with only shared punctuation between them wait for a neighbour: nothing is rescanned."""
    start = time.perf_counter()
    html = to_html("……\n" * 40_000 + "中文\n" * 40_000)
    assert time.perf_counter() - start < 5
    assert "\n" not in html
