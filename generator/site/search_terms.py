"""How search cuts text into terms: the index here, the query in the reader's browser
(``static/assets/search-terms.js``, the same rules line for line; a test runs both over one
word list and the whole Basic Multilingual Plane).

Text is lower-cased and cut at every character that is not a letter or a number. An English
word (a-z only) then loses its inflection by the first step of Porter's stemmer and its
final -e (factories → factori ← factory, sanctioned → sanction), so a query matches a
word's simple forms without fuzzy matching and its false friends (masks never finds marks).
A Hangul word loses one particle from its end when at least two syllables are left
(개성공단에서 → 개성공단). Other words are only lower-cased.
"""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[^\W_]+")
"""Letters and numbers (``\\w`` without the underscore): ``[\\p{L}\\p{N}]+`` in the script."""

PARTICLES = (
    "에서부터", "으로부터", "에게서", "한테서", "으로서", "으로써", "이라는", "에서는", "에서도",
    "에서", "에게", "한테", "께서", "으로", "까지", "부터", "처럼", "보다", "마다", "라는", "이라",
    "에는", "에도", "와는", "과는", "은", "는", "이", "가", "을", "를", "의", "에", "와", "과",
    "도", "만", "로", "나",
)
"""Longest first: the first that fits is the one dropped."""

_ENGLISH = re.compile(r"[a-z]{3,}")


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, before any is cut."""
    return _WORD.findall(text.lower())


def terms(text: str) -> list[str]:
    """The terms of ``text``, as the index holds them and a query looks them up."""
    return [process_term(word) for word in words(text)]


def term_set(text: str) -> set[str]:
    """The distinct terms of ``text`` (each distinct word is cut once)."""
    return set(map(process_term, set(words(text))))


@functools.lru_cache(maxsize=1 << 16)  # a site's vocabulary: each word is cut once a build
def process_term(word: str) -> str:
    """One lower-cased word as a term: without its Korean particle or English inflection."""
    if word and "\uac00" <= word[-1] <= "\ud7a3":
        for particle in PARTICLES:
            if len(word) - len(particle) >= 2 and word.endswith(particle):
                return word[:-len(particle)]
        return word
    if _ENGLISH.fullmatch(word):
        return stem(word)
    return word


def _consonant(word: str, i: int) -> bool:
    letter = word[i]
    if letter in "aeiou":
        return False
    if letter == "y":
        return i == 0 or not _consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: how many vowel-consonant runs ``stem`` has after its first consonants."""
    count, vowel_seen = 0, False
    for i in range(len(stem)):
        if not _consonant(stem, i):
            vowel_seen = True
        elif vowel_seen:
            count += 1
            vowel_seen = False
    return count


def _has_vowel(stem: str) -> bool:
    return any(not _consonant(stem, i) for i in range(len(stem)))


def _ends_cvc(stem: str) -> bool:
    """Consonant, vowel, consonant at the end, the last not w, x or y (hop, not hoop)."""
    n = len(stem)
    return (n >= 3 and _consonant(stem, n - 3) and not _consonant(stem, n - 2)
            and _consonant(stem, n - 1) and stem[-1] not in "wxy")


def stem(word: str) -> str:
    """Porter's step 1 (plurals, -ed and -ing, y to i) and his final -e rule, on a-z."""
    if word.endswith("sses") or word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    cut = ""
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    elif word.endswith("ed") and _has_vowel(word[:-2]):
        word, cut = word[:-2], "ed"
    elif word.endswith("ing") and _has_vowel(word[:-3]):
        word, cut = word[:-3], "ing"
    if cut:
        if word.endswith(("at", "bl", "iz")):
            word += "e"
        elif len(word) >= 2 and word[-1] == word[-2] and _consonant(word, len(word) - 1) \
                and word[-1] not in "lsz":
            word = word[:-1]
        elif _measure(word) == 1 and _ends_cvc(word):
            word += "e"
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    if word.endswith("e"):
        m = _measure(word[:-1])
        if m > 1 or (m == 1 and not _ends_cvc(word[:-1])):
            word = word[:-1]
    return word
