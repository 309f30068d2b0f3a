"""Where the link checker may connect: public addresses only, unless the site allows more.

A source link is contributed content: without this, ``http://127.0.0.1:8080/admin`` or a
redirect to ``http://169.254.169.254/`` would make the checker reach inside the network it
runs in, and write what it found into the lock file. The check is made on the address a
name resolves to, and the connection is made to that very address (the name stays in Host
and in TLS's SNI), so a name that resolves to a public address for the check and to an
internal one for the connection (DNS rebinding) cannot slip through. Every request, the
first and each redirect, opens its connections here.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(Exception):
    """A connection the guard did not make; ``reason`` says what kind of address it was."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def address(self) -> str:
        """'a loopback address', 'an unspecified address'."""
        return f"{'an' if self.reason[0] in 'aeiou' else 'a'} {self.reason} address"


def _embedded(ip: Address) -> list[Address]:
    """The address and the IPv4 addresses carried inside an IPv6 one (mapped, 6to4,
    Teredo, NAT64), each of which the packet may end up at."""
    found: list[Address] = []
    if isinstance(ip, ipaddress.IPv6Address):
        found += [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
        found += list(ip.teredo or ())
        if ip in _NAT64:
            found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [*found, ip]  # the carried address first: it names the kind best


def refusal(address: str, allow_private: bool = False) -> str | None:
    """Why the checker may not connect to ``address`` ('loopback', 'private' ...), or None.

    Multicast and unspecified addresses are never fetched; loopback, link-local, private,
    shared (CGNAT), reserved and every other non-global address only under
    ``allow_private``."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unparsable"
    for each in _embedded(ip):
        if each.is_multicast:
            return "multicast"
        if each.is_unspecified:
            return "unspecified"
        if allow_private:
            continue
        for kind in ("loopback", "link_local", "private", "reserved"):
            if getattr(each, f"is_{kind}"):
                return kind.replace("_", "-")
        if not each.is_global:
            return "non-public"
    return None


async def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, in the resolver's order (a module function, so
    that tests can give a name any address)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving and checking before it connects."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None
                          ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await resolve(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
        except OSError as exc:  # socket.gaierror: the words that tell a DNS failure
            raise httpcore.ConnectError(str(exc)) from exc
        reasons = [refusal(a, self.allow_private) for a in addresses]
        allowed = [a for a, why in zip(addresses, reasons, strict=True) if why is None]
        if not allowed:
            raise Refused(next((r for r in reasons if r), "no address"))
        failed: Exception = Refused("no address")
        for address in allowed:  # the resolver's order, as a plain connect would try them
            try:
                return await self.inner.connect_tcp(address, port, timeout, local_address,
                                                    socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failed = exc
        raise failed

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None
                                  ) -> httpcore.AsyncNetworkStream:
        raise Refused("local socket")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_transport(limits: httpx.Limits, allow_private: bool) -> httpx.AsyncHTTPTransport:
    """httpx's own transport with its connection pool given the guarded backend.

    httpx takes no network backend, so its pool is replaced by one made the same way (the
    refusal tests fail if a new httpx stops using ``_pool``)."""
    transport = httpx.AsyncHTTPTransport(http2=True, limits=limits, trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry, http1=True, http2=True,
        network_backend=GuardedBackend(allow_private))
    return transport
