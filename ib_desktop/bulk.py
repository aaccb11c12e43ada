"""Reading in bulk: many small objects made at once, without the garbage collector in the way.

Python's cyclic garbage collector runs after every few hundred new container objects (tuples,
lists, dicts), and every so often it walks *every* object alive. A bulk read at 50,000 pupils
makes hundreds of thousands of row tuples and moments, none of them in a reference cycle: the
collector finds nothing, yet it took a third of the schedule's time. :func:`gc_paused` holds it
off for the length of such a read; reference counting still frees everything as usual, and any
cycle made meanwhile is collected once the collector runs again.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # reads under way (in any thread); the collector resumes when the last one ends
_resume = False  # whether it was running before the first of them


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block (nested and threads: safe).

    The collector is resumed when the outermost block of all threads ends, and only when it was
    running before; code that switched it off itself keeps it off.
    """
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                if gc.get_freeze_count() == 0:
                    # What the read made and kept goes straight to the oldest generation: the
                    # documented effect of unfreeze(), and both are a splice of two lists. The
                    # next young collection then does not walk every new row to find nothing.
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()
