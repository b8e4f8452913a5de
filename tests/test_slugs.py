import pytest

from sitegen.slugs import MAX_LENGTH, make_slug, slug_from_filename


@pytest.mark.parametrize("text, slug", [
    ("廉洁微课堂", "lian-jie-wei-ke-tang"),  # python-slugify alone says lian-ji
    ("重庆", "chong-qing"),  # phrase-aware: not zhong-qing
    ("支部风采", "zhi-bu-feng-cai"),
    ("2021年工作要点", "2021-nian-gong-zuo-yao-dian"),
    ("Hello World", "hello-world"),
    ("【廉洁“微课堂”】天津", "lian-jie-wei-ke-tang-tian-jin"),
    ("../../etc/passwd", "etc-passwd"),
])
def test_make_slug(text: str, slug: str) -> None:
    assert make_slug(text) == slug


def test_long_slugs_cut_at_a_word_boundary() -> None:
    slug = make_slug("中国共产党第二十次全国代表大会精神学习贯彻落实专题研讨会议纪要及后续安排")
    assert len(slug) <= MAX_LENGTH
    assert not slug.endswith("-")
    assert make_slug("中国共产党第二十次全国代表大会").startswith(slug[:20])
    assert all(part.isalnum() for part in slug.split("-"))


def test_file_names_lose_their_date_prefix() -> None:
    assert slug_from_filename("2020-02-22-tianjin-du-zhan") == "tianjin-du-zhan"
    assert slug_from_filename("2020-02-22") == "2020-02-22"
    assert slug_from_filename("七一 主题党日") == "qi-yi-zhu-ti-dang-ri"
