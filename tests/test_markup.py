"""Markdown, including the corrections Chinese text needs."""

import time

import pytest

from sitegen.markup import to_html


def test_asterisk_run_survives_as_text() -> None:
    html = to_html("何谓“战时状态”?就是非常规,就是*********,就是全员发动")
    assert "就是*********,就是全员发动" in html
    assert "<em>" not in html and "<strong>" not in html


def test_two_asterisk_runs_in_one_sentence() -> None:
    # Without the fix Python-Markdown nests <strong><em> between the two runs.
    html = to_html("就是*********,就是*********,完")
    assert html == "<p>就是*********,就是*********,完</p>"


def test_ordinary_emphasis_still_works() -> None:
    assert to_html("*强调* 和 **加粗**") == "<p><em>强调</em> 和 <strong>加粗</strong></p>"


def test_soft_break_between_cjk_is_dropped() -> None:
    html = to_html("坚决保障打赢疫情防控\n阻击战,是当前的头等大事。")
    assert "防控阻击战" in html


def test_soft_break_next_to_full_width_punctuation() -> None:
    assert "头等大事。“特殊时期" in to_html("头等大事。\n“特殊时期")


def test_soft_break_next_to_emphasis_markers() -> None:
    assert to_html("这是**重点**\n内容") == "<p>这是<strong>重点</strong>内容</p>"


def test_soft_break_between_latin_words_is_kept() -> None:
    assert "hello\nworld" in to_html("hello\nworld")
    assert "中文English" in to_html("中文\nEnglish")  # Chinese on one side is enough to join


def test_code_blocks_keep_their_line_breaks() -> None:
    assert "中文\n中文" in to_html("```\n中文\n中文\n```")


def test_full_width_punctuation_untouched() -> None:
    text = "“引号”‘单引号’《书名》——破折号……省略号,、。:;!?"
    assert text in to_html(text)


def test_extensions() -> None:
    html = to_html(
        "## 闻令而动 令出行随\n\n|栏目|篇数|\n|-|-|\n|党建|3|\n\n段落\n{: .lead}\n\n注[^1]\n\n[^1]: 脚注内容"
    )
    assert '<h2 id="闻令而动-令出行随">' in html  # Chinese heading ids, not "_1"
    assert "<table>" in html and "<td>党建</td>" in html
    assert 'class="footnote"' in html and "返回正文" in html  # back-link title in Chinese
    assert '<p class="lead">段落</p>' in html


def test_engine_is_reset_between_articles() -> None:
    to_html("注[^1]\n\n[^1]: 甲")
    assert "footnote" not in to_html("没有脚注")


def test_heading_ids_stay_unique_and_linear() -> None:
    """Many equal headings: ids x, x_1, x_2, ...; was quadratic (8,000 took a second, 80,000 five minutes)."""
    assert to_html("# x\n\n# x_1\n\n# x\n\n# x\n").count("id=") == 4
    assert [s.split('"')[0] for s in to_html("# x\n\n# x_1\n\n# x\n\n# x\n").split('id="')[1:]] == [
        "x", "x_1", "x_2", "x_3"]
    start = time.perf_counter()
    html = to_html("# 标题\n\n" * 20_000)
    assert time.perf_counter() - start < 5
    assert 'id="标题_19999"' in html


def test_engine_survives_a_failed_conversion() -> None:
    """A RecursionError half-way through left the shared engine broken for every later article."""
    with pytest.raises(RecursionError):
        to_html("- " * 2000 + "x")
    assert to_html("段落\n{: .lead}\n") == '<p class="lead">段落</p>'
