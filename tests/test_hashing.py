"""Hashes: unambiguous joins, fixed lengths, and a code hash that follows the source."""

from __future__ import annotations

import hashlib

from generator.hashing import code_hash, digest, file_digest, text_digest


def test_digest_is_unambiguous_where_a_plain_join_is_not() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("ab", "c") == digest(b"ab", b"c")  # text is hashed as its UTF-8
    assert digest() != digest("")


def test_digest_is_sha256_of_length_prefixed_parts() -> None:
    data = (2).to_bytes(8, "little") + b"ab"
    assert digest("ab") == hashlib.sha256(data).hexdigest()[:40]
    assert len(digest("x")) == 40


def test_text_digest_joins_by_nul() -> None:
    assert text_digest("a", "b") == hashlib.sha256(b"a\0b").hexdigest()[:40]
    assert text_digest("a", "b") != text_digest("ab")


def test_file_digest_is_sha256_cut_to_32() -> None:
    assert file_digest(b"") == "e3b0c44298fc1c149afbf4c8996fb924"


def test_code_hash_is_stable_within_a_run() -> None:
    assert code_hash() == code_hash()
    assert len(code_hash()) == 40


def test_code_hash_covers_the_compiled_catalogs() -> None:
    """A recompiled theme catalog is a new tool: every page is rendered again."""
    from generator.site.i18n import LOCALES

    catalog = LOCALES / "ko" / "LC_MESSAGES" / "messages.mo"
    original = catalog.read_bytes()
    before = code_hash()
    try:
        catalog.write_bytes(original + b"\0")
        code_hash.cache_clear()
        assert code_hash() != before
    finally:
        catalog.write_bytes(original)
        code_hash.cache_clear()
    assert code_hash() == before
