"""Excerpts for listings and meta descriptions: CJK-aware, plain text, cut at a sentence."""

from sitegen.render import EXCERPT_CHARS, excerpt


def test_short_body_is_kept_whole_as_plain_text() -> None:
    html = '<h2 id="x">标题</h2>\n<p>第一段有<strong>重点</strong>和<a href="#">链接</a>&amp;符号。</p>'
    assert excerpt(html) == "第一段有重点和链接&符号。"


def test_cut_at_the_last_sentence_end_when_near() -> None:
    sentence = "这是一个完整的句子。"  # 10 characters
    html = "<p>" + sentence * 20 + "</p>"
    cut = excerpt(html)
    assert cut.endswith("。") and len(cut) <= EXCERPT_CHARS
    assert len(cut) == (EXCERPT_CHARS // len(sentence)) * len(sentence)


def test_cut_mid_sentence_gets_an_ellipsis() -> None:
    html = "<p>" + "党" * 300 + "</p>"
    assert excerpt(html) == "党" * EXCERPT_CHARS + "……"


def test_headings_lists_and_tables_are_left_out() -> None:
    html = "<h2>小标题</h2><ul><li>条目</li></ul><table><tr><td>格</td></tr></table><p>正文</p>"
    assert excerpt(html) == "正文"


def test_paragraphs_with_attributes_count() -> None:
    assert excerpt('<p class="lead">导语</p><p>正文</p>') == "导语正文"
    assert excerpt('<p class="lead">Lead</p><p>text</p>') == "Lead text"
