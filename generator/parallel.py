"""Work spread over both cores by forking: the workers inherit the parent's objects (the
timeline, the Jinja environment) instead of receiving them pickled, and send back only
their results. Used by the stages whose work is one independent item after another."""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

_INHERITED: dict[str, Any] = {}
"""Set in forked workers only: the function and items they inherited."""


IN_PLACE_SPAN = 32
"""Items per call when the work is done here although there is much of it."""


def workers() -> int:
    return min(os.cpu_count() or 1, 8)


def start_worker_process(parent: int | None = None) -> None:
    """Worker start-up: on Linux, end this worker when the build is killed, even by SIGKILL
    (and at once if the build, ``parent``, died before this worker could ask for that)."""
    try:
        import ctypes.util  # here, not at the top: most builds start no worker

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if parent is not None and os.getppid() != parent:
        os._exit(1)
    gc.enable()  # a forked worker inherits a build's paused collector; it makes garbage
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the serve process's handler


def _inherit(fn: Callable[[Sequence[Any]], Any], items: Sequence[Any], parent: int) -> None:
    start_worker_process(parent)
    _INHERITED.update(fn=fn, items=items)


def _run_span(span: tuple[int, int]) -> Any:
    return _INHERITED["fn"](_INHERITED["items"][span[0]:span[1]])


def spans(count: int, parts: int) -> list[tuple[int, int]]:
    size = max(1, -(-count // parts))
    return [(i, min(i + size, count)) for i in range(0, count, size)]


def map_spans(fn: Callable[[Sequence[T]], R], items: Sequence[T], minimum: int,
              per_worker: int = 8, with_threads: bool = False) -> Iterator[R]:
    """``fn`` over consecutive spans of ``items``, in order: in forked workers when there
    are ``minimum`` items or more, else here. Small spans, so that both workers finish
    together instead of one idling.

    Forking while another thread runs (``serve``'s watcher) is done only ``with_threads``:
    for work that takes no lock another thread could hold (parsing does not; rendering
    pages may write the template cache)."""
    count = workers()
    if count < 2 or len(items) < minimum or not hasattr(os, "fork"):
        yield fn(items)
        return
    if threading.active_count() > 1 and not with_threads:
        # Here, but in spans growing from one item: the first results reach the caller
        # (serve, which shows the pages it made first) at once, before the last are made.
        start, size = 0, 1
        while start < len(items):
            end = min(start + size, len(items))
            yield fn(items[start:end])
            start, size = end, min(2 * size, IN_PLACE_SPAN)
        return
    import multiprocessing  # here, not at the top: an edit forks nothing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    gc.freeze()  # workers then share the parent's objects instead of copying them
    try:
        with ProcessPoolExecutor(count, mp_context=context, initializer=_inherit,
                                 initargs=(fn, items, os.getpid())) as pool:
            # A few spans in flight at a time: results wait in the parent only until it
            # takes them, so a large site's pages are never all in memory at once.
            pending: deque[Future[R]] = deque()
            for span in spans(len(items), count * per_worker):
                pending.append(pool.submit(_run_span, span))
                if len(pending) > 2 * count:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        gc.unfreeze()
