"""Work around a reference-count bug of PySide6 6.12.0 on CPython 3.11, for the OPP tests.

PySide6 6.12.0 drops one reference to ``None`` (and to ``True``/``False``) on every call of a
method that returns nothing or a bool; CPython 3.12+ has immortal singletons so it goes unnoticed
there, but on 3.11 the process aborts ("none_dealloc: deallocating None") after a few thousand
calls. The editor tests type hundreds of characters, so they would crash the test process.
PySide6 6.11.3 does not have the bug; until the project pins it, these singletons are given a
large reserve of references here. Nothing else is changed.
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 40


def keep_singletons_alive() -> bool:
    """Give None, True and False a reserve of references when the buggy PySide6 is in use."""
    if sys.version_info >= (3, 12):
        return False
    import PySide6

    if not PySide6.__version__.startswith("6.12."):
        return False
    for obj in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(obj))
        if count.value < RESERVE:
            count.value += RESERVE
    return True
