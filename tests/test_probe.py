"""One link checked: every verdict a server can earn, played locally, and transport
failures named (and whether anything answered at all)."""

from __future__ import annotations

import asyncio
import ssl

import httpx
import pytest

from generator.sources.fetch import polite_client
from generator.sources.probe import Probe, failure, probe
from generator.toml_tables import SourcesConfig

from linkserver import link_server

CASES = {
    "ok": ("ok", 200, "/ok", ""),
    "no-head": ("ok", 200, "/no-head", ""),
    "moved": ("redirected", 301, "/ok", ""),
    "temporary": ("ok", 200, "/ok", ""),
    "gone-404": ("gone", 404, "/gone-404", ""),
    "gone-410": ("gone", 410, "/gone-410", ""),
    "broken": ("error", 500, "/broken", "HTTP 500"),
    "to-home": ("soft-404", 200, "/", "redirected to the site's home page"),
    "soft-title": ("soft-404", 200, "/soft-title", "the page says it is not found"),
    "soft-english": ("soft-404", 200, "/soft-english", "the page says it is not found"),
    "loop-a": ("error", 302, "/loop-a", "redirect loop"),
    "chain/0": ("error", None, "/chain/11", "more than 10 redirects"),
}


def test_every_verdict() -> None:
    async def run(base: str) -> dict[str, Probe]:
        async with polite_client(SourcesConfig(delay=0, timeout=2, allow_private=True)) as polite:
            return {case: await probe(polite, f"{base}/{case}") for case in CASES}

    with link_server() as (base, _):
        found = asyncio.run(run(base))
    assert {case: (p.status, p.code, p.final_url.removeprefix(base), p.detail)
            for case, p in found.items()} == CASES


def test_nothing_listening() -> None:
    async def run() -> Probe:
        async with polite_client(SourcesConfig(delay=0, timeout=2, allow_private=True)) as polite:
            return await probe(polite, "http://127.0.0.1:9/x")
    assert asyncio.run(run()) == Probe("error", None, "", "connection failed", reached=False)


@pytest.mark.parametrize(("exc", "detail", "reached"), [
    (httpx.ConnectError("[Errno -2] Name or service not known"), "DNS failure", False),
    (httpx.ConnectError("refused"), "connection failed", False),
    (httpx.ConnectTimeout("slow"), "connection timed out", False),
    (httpx.ReadTimeout("slow"), "timeout", True),
    (TimeoutError(), "timeout", True),
    (httpx.RemoteProtocolError("closed"), "connection dropped", True),
    (ssl.SSLError("bad"), "TLS error", True),
    (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]"), "TLS error", True),
    (ValueError("odd"), "ValueError", True),
])
def test_failures_are_named(exc: Exception, detail: str, reached: bool) -> None:
    assert failure(exc) == Probe("error", None, "", detail, reached=reached)
