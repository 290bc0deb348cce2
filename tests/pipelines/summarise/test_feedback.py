"""Feedback summary: posts grouped into themes with a label taken from the posts, a count,
representative quotes that link to their posts; anonymous posts carry no author or unit; a
unit with fewer posts in a theme than the minimum shows no count of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pipelines.minutes import Embedder
from pipelines.minutes.vi import fold
from pipelines.summarise.feedback import OTHER_LABEL, Post, summarise_feedback

TEXTS = [
    "Đề nghị tăng cường sinh hoạt chuyên đề về chuyển đổi số trong chi bộ.",
    "Chuyển đổi số cần hướng dẫn đảng viên cao tuổi dùng điện thoại thông minh.",
    "Nên mở lớp hướng dẫn chuyển đổi số cho đảng viên lớn tuổi.",
    "Ứng dụng chuyển đổi số trong quản lý đảng viên còn chậm.",
    "Mức đóng đảng phí nên công khai hằng quý trước chi bộ.",
    "Việc thu đảng phí cần công khai rõ ràng mỗi quý.",
    "Công khai thu chi đảng phí để đảng viên giám sát.",
    "Vệ sinh môi trường khu phố còn nhiều rác thải ở bờ kênh.",
    "Rác thải dọc bờ kênh chưa được thu gom kịp thời.",
    "Đề nghị tổ chức ra quân dọn rác thải bờ kênh hằng tháng.",
    "Tôi đồng ý với dự thảo.",
]
THEMES = [[1, 2, 3, 4], [5, 6, 7], [8, 9, 10], [11]]


def posts() -> list[Post]:
    # unit 1 writes posts 1, 2, 3 and 5; posts 1, 5 and 9 are anonymous
    units = [1, 1, 1, 2, 1, 3, 3, 2, 2, 3, None]
    return [
        Post(id=i, text=t, unit_id=u, anonymous=i in (1, 5, 9), author=f"Đảng viên {i}")
        for i, (t, u) in enumerate(zip(TEXTS, units, strict=True), start=1)
    ]


@pytest.fixture(scope="module")
def embedder() -> Iterator[Embedder]:
    from vectorstore.config import EmbeddingSettings
    from vectorstore.embeddings import make_embeddings

    provider: Embedder = make_embeddings(EmbeddingSettings())
    yield provider


@pytest.mark.parametrize("packaged", [False, True])
def test_themes_labels_counts_and_quotes(embedder: Embedder, packaged: bool) -> None:
    summary = summarise_feedback(posts(), embedder if packaged else None, min_group_size=3)
    assert summary.total == 11
    assert [t.post_ids for t in summary.themes] == THEMES
    assert [t.count for t in summary.themes] == [4, 3, 3, 1]
    by_id = {p.id: p for p in posts()}
    for theme in summary.themes:
        # the label is words of the theme's posts
        assert any(fold(theme.label) in fold(by_id[i].text) for i in theme.post_ids)
        assert 1 <= len(theme.quotes) <= 3
        for quote in theme.quotes:
            post = by_id[quote.post_id]
            assert quote.post_id in theme.post_ids and quote.text == post.text
            if post.anonymous:
                assert quote.author is None and quote.unit_id is None
            else:
                assert quote.author == post.author and quote.unit_id == post.unit_id
    assert fold(summary.themes[0].label) == fold("chuyển đổi số")
    assert summarise_feedback(posts(), embedder if packaged else None, min_group_size=3) == summary


def test_per_unit_counts_only_at_the_minimum_group_size() -> None:
    themes = summarise_feedback(posts(), min_group_size=3).themes
    # unit 1 has 3 posts on the first theme, unit 2 one: only unit 1 is counted by name
    assert themes[0].per_unit == {1: 3} and themes[0].other_units == 1
    for theme in themes[1:]:
        assert theme.per_unit == {} and theme.other_units == theme.count
    assert summarise_feedback(posts(), min_group_size=4).themes[0].per_unit == {}
    assert summarise_feedback(posts(), min_group_size=1).themes[1].per_unit == {1: 1, 3: 2}


def test_anonymous_posts_never_carry_an_author() -> None:
    anonymous = [p.model_copy(update={"anonymous": True}) for p in posts()]
    summary = summarise_feedback(anonymous, min_group_size=1, quotes=10)
    dumped = summary.model_dump_json()
    assert "Đảng viên " not in dumped
    assert all(q.author is None and q.unit_id is None for t in summary.themes for q in t.quotes)


def test_themes_past_the_maximum_are_counted_together() -> None:
    summary = summarise_feedback(posts(), max_themes=3)
    assert [t.count for t in summary.themes] == [4, 3, 4]
    assert summary.themes[-1].label == OTHER_LABEL
    assert summarise_feedback([]).themes == []
    (one,) = summarise_feedback(posts()[:1]).themes
    assert one.count == 1 and one.quotes[0].author is None
