"""The garbage collector pause for bulk reads: always resumed, and only when it was running."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from ib_desktop.bulk import gc_paused


@pytest.fixture(autouse=True)
def collector_running() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:  # pragma: no cover - pytest runs with the collector on
        gc.disable()


def test_paused_inside_and_running_after() -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_resumed_after_an_error() -> None:
    with pytest.raises(ValueError, match="mislukt"), gc_paused():
        raise ValueError("mislukt")
    assert gc.isenabled()


def test_nested_pause_resumes_at_the_outer_end() -> None:
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_switched_off_by_the_program_stays_off() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_overlapping_threads_resume_when_the_last_ends() -> None:
    inside = threading.Event()
    leave = threading.Event()

    def worker() -> None:
        with gc_paused():
            inside.set()
            leave.wait(10)

    t = threading.Thread(target=worker)
    with gc_paused():
        t.start()
        assert inside.wait(10)
    # this thread's pause ended, the worker's has not: still paused
    assert not gc.isenabled()
    leave.set()
    t.join(10)
    assert gc.isenabled()


class _Node:
    pass


def test_what_the_read_kept_skips_the_young_collections_but_is_still_collected() -> None:
    import weakref

    gc.collect()
    with gc_paused():
        kept = [[i] for i in range(5000)]  # far more than a young generation holds
        cycle = _Node()
        cycle.me = cycle  # type: ignore[attr-defined]
        gone = weakref.ref(cycle)
        del cycle
    # moved to the oldest generation at once: the young one starts empty again
    assert gc.get_count()[0] < 500
    assert all(gc.is_tracked(x) for x in kept[:10])
    # and garbage made during the pause is still found by a full collection
    assert gone() is not None
    gc.collect()
    assert gone() is None


def test_objects_the_program_froze_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            _made = [[i] for i in range(100)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
