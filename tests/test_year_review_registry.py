"""members.year_review: apps add sections; members never imports them."""

from members import year_review


def test_sections_come_in_order_and_empty_ones_are_left_out(monkeypatch):
    monkeypatch.setattr(year_review, "_providers", [])

    @year_review.register(order=20)
    def second(person, year):
        return year_review.Section(key="b", title="乙", rows=[("次数", f"{year}")])

    @year_review.register(order=10)
    def first(person, year):
        return year_review.Section(key="a", title="甲")

    @year_review.register(order=5)
    def nothing(person, year):
        return None

    year_review.register(order=30)(second)  # the same function again is not added twice
    sections = year_review.sections_for(object(), 2026)
    assert [section.key for section in sections] == ["a", "b"]
    assert sections[1].rows == [("次数", "2026")]
