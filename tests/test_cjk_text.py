"""Soft line breaks next to Chinese text: no space in the page, none in the excerpt either."""

from __future__ import annotations

import time

import pytest

from sitegen.markup import to_html
from sitegen.render import excerpt

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


def _body(markdown: str) -> str:
    return excerpt(to_html(markdown))


@pytest.mark.parametrize(("markdown", "text"), [
    # Paragraphs joined with no space when Chinese is on either side of the seam.
    ("各党支部：\n\n为庆祝建党一百周年", "各党支部：为庆祝建党一百周年"),
    ("参加会议。\n\n会上传达了精神。", "参加会议。会上传达了精神。"),
    ("2020年\n\n2月", "2020年2月"),
    ("Party\n\nbuilding", "Party building"),
    # Footnote marks and the footnotes themselves stay out.
    ("学习《九项准则》[^1]（以下简称准则）。\n\n[^1]: 见中央文件。", "学习《九项准则》（以下简称准则）。"),
    # A hard break within a paragraph follows the same rule.
    ("中文  \n中文\n\nhello  \nworld", "中文中文hello world"),
    # An image's alt is no text of the paragraph.
    ("文字![图为会场](x.png)文字", "文字文字"),
])
def test_excerpt_from_markdown(markdown: str, text: str) -> None:
    assert _body(markdown) == text


def test_excerpt_leaves_out_figures_and_captions() -> None:
    body = ('<p>第一段。</p>\n<figure><picture><source srcset="a.webp"><img alt="图为会场" src="a.jpg">'
            '</picture><figcaption>图为会议现场。</figcaption></figure>\n<p>第二段。</p>'
            '<figcaption><p>单独的说明</p></figcaption>\n<figure><img src="c.jpg"><p>摄影：张三</p></figure>'
            '<p><picture><img alt="图为" src="b.jpg">'
            "</picture>第三段。</p>")
    assert excerpt(body) == "第一段。第二段。第三段。"


def test_excerpt_stops_at_the_footnotes() -> None:
    body = ('<p>正文<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>。</p>\n'
            '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:1">\n<p>脚注内容</p>\n</li>\n</ol>\n</div>')
    assert excerpt(body) == "正文。"


def test_excerpt_keeps_the_sentence_cut() -> None:
    paragraphs = "\n\n".join(["这是一个完整的句子。" * 3] * 10)
    cut = excerpt(to_html(paragraphs))
    assert cut.endswith("。") and " " not in cut and len(cut) == 110
