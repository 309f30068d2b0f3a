"""A polite HTTP client: few connections per host, a pause between requests to one host,
a User-Agent that names us, time limits, and a retry after 429/503 when told when to.

News sites block crawlers that hammer them; a link checker that gets itself blocked reports
live links as dead. Only the first bytes of a body are ever read.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx

from generator import __version__
from generator.config import SourcesConfig

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
        host = httpx.URL(url).netloc.decode("ascii", "replace")
        slots = self.hosts.setdefault(host, asyncio.Semaphore(self.config.per_host))
        # The host's slot first: a request waiting for a busy host holds no overall slot
        # that a request to another host could use.
        async with slots:
            await self._turn(host)
            async with self.overall, asyncio.timeout(self.config.timeout * 2):  # trickling
                async with self.client.stream(method, url) as response:
                    body = b""
                    if read:
                        async for chunk in response.aiter_bytes():
                            body += chunk
                            if len(body) >= read:
                                break
                    return Answer(response.status_code, str(response.url), response.headers,
                                  body[:read])

    async def get(self, method: str, url: str, read: int = 0) -> Answer:
        """One request (redirects not followed), retried after 429 or 503."""
        for attempt in range(RETRIES):
            answer = await self._once(method, url, read)
            if answer.code not in (429, 503) or attempt == RETRIES - 1:
                return answer
            wait = retry_after(answer.headers.get("retry-after"), 2.0 ** attempt)
            if wait > RETRY_CAP:
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


@asynccontextmanager
async def polite_client(config: SourcesConfig) -> AsyncIterator[Polite]:
    """A client for one command run (HTTP/2 where the server offers it)."""
    limits = httpx.Limits(max_connections=config.concurrency,
                          max_keepalive_connections=config.concurrency)
    timeout = httpx.Timeout(config.timeout, connect=min(config.timeout, 10.0))
    async with httpx.AsyncClient(http2=True, follow_redirects=False, timeout=timeout,
                                 limits=limits, headers={"user-agent": USER_AGENT},
                                 trust_env=False) as client:
        yield Polite(client, config, asyncio.Semaphore(config.concurrency))
