"""map_spans: results in order, serial below the minimum, a worker's exception raised here."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from generator import parallel
from generator.parallel import map_spans, spans


def pids_and_items(part: Sequence[int]) -> tuple[int, list[int]]:
    return os.getpid(), [x * 2 for x in part]


def test_spans_cover_every_item_once_in_order() -> None:
    assert spans(10, 3) == [(0, 4), (4, 8), (8, 10)]
    assert spans(2, 8) == [(0, 1), (1, 2)]
    assert spans(0, 4) == []


def test_below_the_minimum_runs_here_in_one_call() -> None:
    results = list(map_spans(pids_and_items, list(range(5)), minimum=6))
    assert results == [(os.getpid(), [0, 2, 4, 6, 8])]


def test_forked_workers_keep_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    items = list(range(96))
    results = list(map_spans(pids_and_items, items, minimum=10, with_threads=True))
    assert len(results) == 16  # 2 workers x 8 spans each
    assert [x for _, part in results for x in part] == [x * 2 for x in items]
    assert all(pid != os.getpid() for pid, _ in results)


def test_one_worker_means_no_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    results = list(map_spans(pids_and_items, list(range(50)), minimum=1))
    assert results == [(os.getpid(), [x * 2 for x in range(50)])]


def fails_on_seven(part: Sequence[int]) -> list[int]:
    if 7 in part:
        raise ValueError(f"no seven please (pid {os.getpid()})")
    return list(part)


def test_an_exception_in_a_worker_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    with pytest.raises(ValueError, match="no seven please") as caught:
        list(map_spans(fails_on_seven, list(range(40)), minimum=2, with_threads=True))
    assert f"pid {os.getpid()})" not in str(caught.value)  # raised in the worker


def test_with_another_thread_running_it_works_here_in_spans(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``serve`` builds on a thread: no fork, but the first results come before the last."""
    import threading

    monkeypatch.setattr(parallel, "workers", lambda: 2)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        results = list(map_spans(pids_and_items, list(range(100)), minimum=10))
    finally:
        stop.set()
        other.join()
    # The first item alone (serve shows the first page at once), then spans doubling to 32.
    assert [len(part) for _, part in results] == [1, 2, 4, 8, 16, 32, 32, 5]
    assert all(pid == os.getpid() for pid, _ in results)
    assert [x for _, part in results for x in part] == [x * 2 for x in range(100)]
