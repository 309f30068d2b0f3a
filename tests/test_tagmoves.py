"""``content/renamed-tags.yaml``: read as (old slug, new slug); a line that is not two tags
is named with its line."""

from __future__ import annotations

from generator.content.tagmoves import load_renamed_tags

from conftest import MakeSite


def test_renamed_tags_are_read_as_slugs(make_site: MakeSite) -> None:
    site = make_site({"content/renamed-tags.yaml": "# a comment\nTrade War: Trade\n"
                                                   "공업: industry\n"})
    assert load_renamed_tags(site) == ((("trade-war", "trade"), ("공업", "industry")), [])
    assert load_renamed_tags(make_site({})) == ((), [])


def test_a_line_that_is_not_two_tags_is_named(make_site: MakeSite) -> None:
    site = make_site({"content/renamed-tags.yaml": "good: better\nbad: [a, b]\n'!!': x\n"})
    found, problems = load_renamed_tags(site)
    assert found == (("good", "better"),)
    assert [str(p) for p in problems] == [
        "content/renamed-tags.yaml:2: bad: expected `old tag: new tag`, each a tag with a page",
        "content/renamed-tags.yaml:3: !!: expected `old tag: new tag`, each a tag with a page"]
    site = make_site({"content/renamed-tags.yaml": "- a list\n"})
    assert [str(p) for p in load_renamed_tags(site)[1]] == [
        "content/renamed-tags.yaml:1: expected lines of `old tag: new tag`"]
