"""Polite requests: Retry-After read both ways, 429 and 503 retried, one host at a time at
the configured pace, a recognisable User-Agent; served locally, never the internet."""

from __future__ import annotations

import asyncio
import email.utils
import time

from generator.sources.fetch import USER_AGENT, polite_client, retry_after
from generator.toml_tables import SourcesConfig

from linkserver import link_server


def test_retry_after() -> None:
    assert retry_after(None, 2.0) == 2.0
    assert retry_after("", 2.0) == 2.0
    assert retry_after(" 7 ", 2.0) == 7.0
    assert retry_after("soon", 2.0) == 2.0
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= retry_after(later, 2.0) <= 30
    earlier = email.utils.formatdate(time.time() - 30, usegmt=True)
    assert retry_after(earlier, 2.0) == 0.0


def test_requests_are_retried_paced_and_named() -> None:
    config = SourcesConfig(delay=0.2, timeout=2, allow_private=True)

    async def run() -> list[tuple[int, str]]:
        async with polite_client(config) as polite:
            answers = [await polite.get("GET", f"{base}/busy", read=100),
                       await polite.get("HEAD", f"{base}/ok"),
                       await polite.get("GET", f"{base}/moved")]
        return [(a.code, a.url.removeprefix(base)) for a in answers]

    with link_server() as (base, played):
        results = asyncio.run(run())
    assert results == [(200, "/busy"), (200, "/ok"), (301, "/moved")]  # redirects not followed
    assert [(m, p) for m, p, _, _ in played.requests] == [
        ("GET", "/busy"), ("GET", "/busy"), ("HEAD", "/ok"), ("GET", "/moved")]
    assert {agent for _, _, agent, _ in played.requests} == {USER_AGENT}
    times = [t for _, _, _, t in played.requests]
    assert all(b - a >= 0.19 for a, b in zip(times, times[1:], strict=False))
