"""A polite HTTP client: few connections per host, a pause between requests to one host,
a User-Agent that names us, time limits, and a retry after 429/503 when told when to.

News sites block crawlers that hammer them; a link checker that gets itself blocked reports
live links as dead. Only the first bytes of a body are ever read, decompressed or not (a
gzip bomb is cut off as soon as it has given them), and a run has a deadline. It is safe on
contributed links: connections go only where the guard allows, no cookie is kept, and the
credentials of a ``user:pass@`` URL are never sent.
"""

from __future__ import annotations

import asyncio
import email.utils
import http.cookiejar
import time
import urllib.request
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TextIO
from urllib.parse import urlsplit

import httpx

from generator import __version__
from generator.config import CONFIG_NAME, SiteConfig
from generator.errors import Problem
from generator.sources.collect import say, without_credentials
from generator.sources.guard import guarded_transport
from generator.toml_tables import SourcesConfig

USER_AGENT = (f"timeline-generator/{__version__} (link checker of a static timeline site; "
              "checks each cited source once)")
BODY_LIMIT = 256 * 1024
"""Enough for any page's <title>; a server sending 10 MB is cut off here."""
RETRIES = 3
RETRY_CAP = 60.0
"""Longest wait honoured from a Retry-After; past it the link is an error this time."""


@dataclass(frozen=True)
class Answer:
    """What one request got back."""

    code: int
    url: str
    headers: httpx.Headers
    body: bytes = b""


@dataclass
class Polite:
    """Shared by every request of a command: the per-host limits live here."""

    client: httpx.AsyncClient
    config: SourcesConfig
    overall: asyncio.Semaphore
    until: float = float("inf")
    """``time.monotonic()`` (the event loop's clock) at which the run's deadline falls."""
    hosts: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    turns: dict[str, asyncio.Lock] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)

    async def _turn(self, host: str) -> None:
        """Wait until ``delay`` seconds have passed since the last request to ``host``."""
        turn = self.turns.setdefault(host, asyncio.Lock())
        async with turn:
            wait = self.last.get(host, 0.0) + self.config.delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.last[host] = time.monotonic()

    async def _once(self, method: str, url: str, read: int) -> Answer:
        url = without_credentials(url)  # httpx would send them as Authorization
        host = httpx.URL(url).netloc.decode("ascii", "replace")
        slots = self.hosts.setdefault(host, asyncio.Semaphore(self.config.per_host))
        # The host's slot first: a request waiting for a busy host holds no overall slot
        # that a request to another host could use.
        async with slots:
            await self._turn(host)
            async with self.overall, asyncio.timeout(self.config.timeout * 2):  # trickling
                async with self.client.stream(method, url) as response:
                    body = await read_body(response, read) if read else b""
                    return Answer(response.status_code, str(response.url), response.headers,
                                  body)

    async def get(self, method: str, url: str, read: int = 0) -> Answer:
        """One request (redirects not followed), retried after 429 or 503."""
        for attempt in range(RETRIES):
            answer = await self._once(method, url, read)
            if answer.code not in (429, 503) or attempt == RETRIES - 1:
                return answer
            wait = retry_after(answer.headers.get("retry-after"), 2.0 ** attempt)
            if wait > RETRY_CAP or time.monotonic() + wait > self.until:
                return answer
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")


def retry_after(value: str | None, default: float) -> float:
    """Seconds to wait from a Retry-After header (seconds, or an HTTP date)."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())


async def read_body(response: httpx.Response, limit: int) -> bytes:
    """At most ``limit`` bytes of the body, decompressed ``limit`` at a time: httpx's own
    decoder would inflate a whole network chunk at once (64 kB of a gzip bomb are 64 MB).
    A body in an encoding other than gzip or deflate is not read (only titles are wanted)."""
    coding = response.headers.get("content-encoding", "").strip().lower()
    if coding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        return b""
    inflate = zlib.decompressobj(32 + zlib.MAX_WBITS) if coding not in ("", "identity") \
        else None  # 32: a gzip or a zlib header, whichever it has
    body = b""
    async for chunk in response.aiter_raw():
        try:
            body += inflate.decompress(chunk, limit - len(body)) if inflate else chunk
        except zlib.error:
            break
        if len(body) >= limit:
            break
    return body[:limit]


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """Keep no cookie: one host's cookie must never reach another, and no check needs one."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: urllib.request.Request) -> bool:
        return False

    def return_ok(self, cookie: http.cookiejar.Cookie, request: urllib.request.Request
                  ) -> bool:
        return False


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be asked for as written (a malformed host or port, a control
    character), or None."""
    try:
        _ = urlsplit(url).port  # the port is checked only when asked for
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        return str(exc) or type(exc).__name__
    return None


def allows_private(config: SiteConfig, err: TextIO) -> bool:
    """``[sources] allow_private``, except in untrusted mode, where timeline.toml is
    contributed too (with a warning when it asks for private addresses)."""
    if config.sources.allow_private and config.untrusted:
        say(Problem(CONFIG_NAME, None, "sources.allow_private", "ignored in untrusted mode: "
                    "private addresses are refused", "warning"), err)
        return False
    return config.sources.allow_private


@asynccontextmanager
async def polite_client(config: SourcesConfig, allow_private: bool | None = None
                        ) -> AsyncIterator[Polite]:
    """A client for one command run (HTTP/2 where the server offers it); it connects to
    private addresses only if ``allow_private`` (by default the config's setting)."""
    limits = httpx.Limits(max_connections=config.concurrency,
                          max_keepalive_connections=config.concurrency)
    timeout = httpx.Timeout(config.timeout, connect=min(config.timeout, 10.0))
    allow = config.allow_private if allow_private is None else allow_private
    headers = {"user-agent": USER_AGENT, "accept-encoding": "gzip, deflate"}
    async with httpx.AsyncClient(transport=guarded_transport(limits, allow),
                                 follow_redirects=False, timeout=timeout, headers=headers,
                                 cookies=http.cookiejar.CookieJar(policy=_NoCookies()),
                                 trust_env=False) as client:
        yield Polite(client, config, asyncio.Semaphore(config.concurrency),
                     time.monotonic() + config.deadline)
