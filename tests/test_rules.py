from committee import rules


def test_the_rules_have_eight_chapters_and_twenty_four_articles():
    chapters = rules.chapters()
    assert [c.number for c in chapters] == list(range(1, 9))
    articles = [a.number for c in chapters for a in c.articles]
    assert articles == list(range(1, 25))


def test_article_headings_and_paragraphs():
    article_5 = rules.chapter(3).articles[0]
    assert article_5.heading == "组织人大街道工委会议"
    assert article_5.paragraphs[0].startswith("(一)每季度召开1次会议")
    assert rules.chapter(8).articles[-1].paragraphs == ["本实施细则自2025年3月28日起施行。"]


def test_chinese_numbers():
    assert [rules.chinese_number(t) for t in ("一", "九", "十", "十四", "二十", "二十四")] == [1, 9, 10, 14, 20, 24]
