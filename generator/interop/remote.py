"""``timeline import URL``: a sheet published to the web as CSV, read over HTTP(S).

A Google Sheet's "Publish to the web" address (``…/pub?output=csv``) answers with the sheet as
CSV, after a redirect to another Google host. The address is the user's own, typed on the
command line like a file name, so it is read wherever it points, a local server included:
the guard against private addresses (``sources/guard.py``) is for links written in content,
which the link checker follows on nobody's say. What an address may do is bounded instead:
http and https only, redirects included, a time limit, a size limit, and an answer that must
be CSV (or TimelineJS JSON), never an HTML page such as a sign-in form.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from generator import __version__
from generator.errors import SiteError

LIMIT = 20 * 1024 * 1024
"""Bytes read at most: a sheet of thousands of rows is a few megabytes."""
TIMEOUT = 30.0
REDIRECTS = 5
SCHEMES = ("http", "https")
TYPES = ("text/csv", "application/csv", "text/comma-separated-values", "text/plain",
         "application/json", "text/json", "application/octet-stream", "")
"""What a published sheet or a TimelineJS file is served as."""
USER_AGENT = f"timeline-generator/{__version__} (timeline import)"


def is_address(text: str) -> bool:
    """Whether the command line gave an address rather than a file (``C:\\x`` is a file)."""
    scheme = urlsplit(text).scheme
    return len(scheme) > 1 and "://" in text


def _refuse(url: str, message: str) -> SiteError:
    return SiteError.one(url, None, None, message)


def fetch_sheet(url: str, limit: int = LIMIT, timeout: float = TIMEOUT) -> tuple[bytes, bool]:
    """The body an address answers with, and whether it is JSON; one line if it cannot be."""
    if urlsplit(url).scheme.lower() not in SCHEMES:
        raise _refuse(url, "only http:// and https:// addresses can be imported")
    current = url
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False,
                          headers={"User-Agent": USER_AGENT}) as client:
            for _ in range(REDIRECTS + 1):
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        target = response.url.join(response.headers["location"])
                        if target.scheme not in SCHEMES:
                            raise _refuse(url, f"redirected to a {target.scheme}: address: "
                                          "only http and https are followed")
                        current = str(target)
                        continue
                    return _body(url, response, limit)
    except httpx.TimeoutException:
        raise _refuse(url, f"no answer within {timeout:g} seconds") from None
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        raise _refuse(url, f"cannot be read: {exc}") from None
    raise _refuse(url, f"more than {REDIRECTS} redirects")


def _body(url: str, response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    if response.status_code != 200:
        raise _refuse(url, f"HTTP {response.status_code} {response.reason_phrase}: is the "
                      "sheet published to the web as CSV?")
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in TYPES:
        html = "an HTML page" if "html" in kind else kind
        raise _refuse(url, f"answered with {html}, not CSV: publish the sheet to the web as "
                      "comma-separated values and give that address")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            raise _refuse(url, f"larger than {limit // (1024 * 1024)} MB: not read")
    if bytes(body).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise _refuse(url, "answered with an HTML page, not CSV: publish the sheet to the web "
                      "as comma-separated values and give that address")
    return bytes(body), "json" in kind
