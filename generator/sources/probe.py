"""What one link answers: ok, redirected, gone, soft 404 or error, from its own server.

HEAD first (it costs the server least), GET where HEAD is refused; redirects are followed by
hand so that a permanent one can be reported with the address to adopt, and a loop stopped.
"""

from __future__ import annotations

import html
import re
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from generator.sources.collect import without_credentials
from generator.sources.fetch import BODY_LIMIT, Answer, Polite
from generator.sources.guard import Refused

MAX_REDIRECTS = 10
HEAD_REFUSED = (400, 403, 405, 406, 501)
"""Answers to HEAD that some servers give where GET works."""
NOT_FOUND_TITLES = ("not found", "페이지를 찾을 수 없습니다", "page introuvable",
                    "seite nicht gefunden", "no encontrada")
DNS_WORDS = ("name or service", "nodename", "getaddrinfo", "name resolution",
             "no address associated")
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Probe:
    """The outcome of checking one link."""

    status: str
    code: int | None = None
    final_url: str = ""
    detail: str = ""
    reached: bool = True
    """False when nothing answered at all (no route, no DNS, refused): the network, maybe."""


def failure(exc: Exception) -> Probe:
    """Name a transport failure; only a TLS error means a server was there to answer."""
    text = str(exc)
    causes = [exc, exc.__cause__, exc.__context__]
    if any(isinstance(c, ssl.SSLError) for c in causes) or "CERTIFICATE" in text.upper() \
            or "SSL" in text:
        return Probe("error", None, "", "TLS error", reached=True)
    if isinstance(exc, httpx.ConnectTimeout):
        return Probe("error", None, "", "connection timed out", reached=False)
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return Probe("error", None, "", "timeout", reached=True)
    if isinstance(exc, httpx.ConnectError):
        lowered = text.lower()
        if any(words in lowered for words in DNS_WORDS):
            return Probe("error", None, "", "DNS failure", reached=False)
        return Probe("error", None, "", "connection failed", reached=False)
    if isinstance(exc, httpx.RemoteProtocolError) and "location header" in text.lower():
        return Probe("error", None, "", "malformed address", reached=True)  # a redirect's
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return Probe("error", None, "", "connection dropped", reached=True)
    return Probe("error", None, "", type(exc).__name__, reached=True)


def _title(body: bytes) -> str:
    match = _TITLE.search(body)
    if not match:
        return ""
    return html.unescape(match.group(1).decode("utf-8", "replace")).strip().casefold()


def _is_home(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


async def _ask(polite: Polite, url: str) -> Answer:
    answer = await polite.get("HEAD", url)
    if answer.code in HEAD_REFUSED:
        answer = await polite.get("GET", url, read=BODY_LIMIT)
    return answer


def _is_html(answer: Answer) -> bool:
    return "html" in answer.headers.get("content-type", "html").lower()


async def probe(polite: Polite, url: str) -> Probe:
    """Check one http(s) link; never raises for what a server or the network does.

    A link or redirect to an address the guard refuses is an error, recorded without the
    address it led to."""
    url = without_credentials(url)
    seen = {url}
    here, permanent = url, 0
    try:
        for _ in range(MAX_REDIRECTS + 1):
            answer = await _ask(polite, here)
            location = answer.headers.get("location")
            if 300 <= answer.code < 400 and location:
                if answer.code in (301, 308) and not permanent:
                    permanent = answer.code  # the one to report: "moved permanently"
                here = without_credentials(urljoin(here, location.strip()))
                if urlsplit(here).scheme not in ("http", "https"):
                    return Probe("error", answer.code, here, "redirect to a non-web address")
                if here in seen:
                    return Probe("error", answer.code, here, "redirect loop")
                seen.add(here)
                continue
            return await _verdict(polite, url, here, answer, permanent)
        return Probe("error", None, here, f"more than {MAX_REDIRECTS} redirects")
    except Refused as exc:
        where = "redirected to" if here != url else "at"
        return Probe("error", None, "", f"refused: {where} {exc.address} "
                     "(see [sources] allow_private)")
    except (ValueError, httpx.InvalidURL):  # a Location such as http://[zz]/ or :99999
        return Probe("error", None, "", "malformed address")
    except (httpx.HTTPError, TimeoutError, ssl.SSLError, OSError) as exc:
        return failure(exc)


async def _verdict(polite: Polite, url: str, here: str, answer: Answer, permanent: int
                   ) -> Probe:
    code = answer.code
    if code in (404, 410):
        return Probe("gone", code, here)
    if code >= 400:
        return Probe("error", code, here, f"HTTP {code}")
    if not 200 <= code < 300:
        return Probe("error", code, here, f"HTTP {code} without a new address")
    if here != url and _is_home(here) and not _is_home(url):
        return Probe("soft-404", code, here, "redirected to the site's home page")
    body = answer.body
    if not body and _is_html(answer):  # HEAD said 200: the title tells a soft 404
        body = (await polite.get("GET", here, read=BODY_LIMIT)).body
    title = _title(body)
    if any(words in title for words in NOT_FOUND_TITLES):
        return Probe("soft-404", code, here, "the page says it is not found")
    if permanent:
        return Probe("redirected", permanent, here)
    return Probe("ok", code, here)
