"""Search terms: English inflections meet, false friends do not, Korean particles go, and
the script in the browser (static/assets/search-terms.js, run here by node) cuts every word
exactly as the build does."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from generator.site.search_terms import process_term, stem, term_set, terms, words

from conftest import REPO

SCRIPT = REPO / "static" / "assets" / "search-terms.js"

INFLECTIONS = [
    ("factory", "factories", "factori"), ("mask", "masks", "mask"),
    ("mask", "masked", "mask"), ("sanction", "sanctions", "sanction"),
    ("sanction", "sanctioned", "sanction"), ("sanction", "sanctioning", "sanction"),
    ("need", "needed", "need"), ("agree", "agreed", "agre"), ("hope", "hoping", "hope"),
    ("make", "making", "make"), ("ship", "shipping", "ship"), ("fall", "falling", "fall"),
    ("use", "used", "us"), ("office", "offices", "offic"), ("carry", "carried", "carri"),
    ("supply", "supplies", "suppli"), ("class", "classes", "class"), ("box", "boxes", "box"),
]


@pytest.mark.parametrize(("word", "other", "term"), INFLECTIONS)
def test_a_word_and_its_inflection_are_one_term(word: str, other: str, term: str) -> None:
    assert process_term(word) == process_term(other) == term


@pytest.mark.parametrize(("word", "other"), [("masks", "marks"), ("mask", "mark"),
                                             ("sanction", "section"), ("ties", "tie"),
                                             ("war", "was"), ("gas", "gaza")])
def test_false_friends_stay_apart(word: str, other: str) -> None:
    assert process_term(word) != process_term(other)


def test_stem_is_porter_step_one_and_final_e() -> None:
    # The examples of Porter (1980) for steps 1a, 1b, 1c and 5a.
    cases = {"caresses": "caress", "ponies": "poni", "ties": "ti", "caress": "caress",
             "cats": "cat", "feed": "feed", "agreed": "agre", "plastered": "plaster",
             "bled": "bled", "motoring": "motor", "sing": "sing", "conflated": "conflat",
             "troubled": "troubl", "sized": "size", "hopping": "hop", "tanned": "tan",
             "hissing": "hiss", "fizzed": "fizz", "failing": "fail", "filing": "file",
             "happy": "happi", "sky": "sky", "probate": "probat", "rate": "rate",
             "cease": "ceas"}
    assert {word: stem(word) for word in cases} == cases


def test_korean_loses_one_particle_when_two_syllables_are_left() -> None:
    assert terms("개성공단에서 개성공단은 개성공단의 개성공단") == ["개성공단"] * 4
    assert process_term("김정은") == "김정"  # a name ending like a particle: cut both sides
    assert process_term("북은") == "북은"  # one syllable would be left
    assert process_term("평양으로부터") == "평양"  # the longest particle that fits


def test_words_cut_at_anything_but_letters_and_numbers() -> None:
    assert words("COVID-19: UN’s ‘mask’ factory_2 — café 1,000") == [
        "covid", "19", "un", "s", "mask", "factory", "2", "café", "1", "000"]
    # Only a-z words are stemmed: names with other letters and numbers stay as written.
    assert terms("Cafés 1990s Straße") == ["cafés", "1990s", "straße"]
    assert term_set("masks mask masked") == {"mask"}


WORD_LIST = sorted({w for pair in INFLECTIONS for w in pair[:2]} | {
    "masks", "marks", "the", "is", "as", "a", "news", "bus", "buses", "yes", "eyes", "dying",
    "lying", "proceed", "proceeded", "exceeding", "fizzing", "hopeful", "hoped", "rated",
    "agreement", "controlling", "quizzes", "crises", "analyses", "bye", "eye", "aye",
    "yying", "ayyed", "sses", "ies", "eed", "ing", "ed", "s", "yy", "y",
    "개성공단에서", "김정은", "북은", "평양으로부터", "도", "ΣΊΣΥΦΟΣ", "İstanbul", "ǅemal",
    "Ⅻ", "١٢٣", "ﬁnance", "Ａｂｃ", "𝐀𝐁𝐂", "😀x", "a😀가나다에서"})


def _node_terms(lines: list[str]) -> list[list[str]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: apt-get install nodejs (bash tests/run.sh installs it)")
    code = (f"import {{ terms }} from {json.dumps(SCRIPT.as_uri())};\n"
            "let input = ''; process.stdin.on('data', d => input += d);\n"
            "process.stdin.on('end', () => process.stdout.write("
            "JSON.stringify(JSON.parse(input).map(terms))));\n")
    done = subprocess.run([node, "--input-type=module", "-e", code], input=json.dumps(lines),
                          capture_output=True, text=True, check=True, timeout=120)
    found: list[list[str]] = json.loads(done.stdout)
    return found


def _content_words() -> list[str]:
    text = " ".join(p.read_text("utf-8") for p in sorted((REPO / "content").rglob("*.md")))
    return sorted(set(text.split()))


def test_the_browser_cuts_every_word_as_the_build_does() -> None:
    lines = WORD_LIST + _content_words() + [
        " ".join(f"{w}{suffix}" for w in WORD_LIST)
        for suffix in ("s", "es", "ed", "ing", "ies", "y", "e", "에서", "의")]
    assert len(lines) > 500
    assert _node_terms(lines) == [terms(line) for line in lines]


def test_the_browser_agrees_on_every_character_of_the_basic_plane(tmp_path: Path) -> None:
    """Which characters make words, and how they lower-case, for every character both
    Unicode versions (Python's and node's) have assigned."""
    lines = [f"{c}a{c}Z{c} {c}" for c in map(chr, range(0x10000))
             if not 0xD800 <= ord(c) < 0xE000 and unicodedata.category(c) != "Cn"]
    assert len(lines) > 60_000
    assert _node_terms(lines) == [terms(line) for line in lines]
