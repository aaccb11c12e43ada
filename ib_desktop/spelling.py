"""Dutch spell checking for the plans' text fields: which words to flag, and what to offer instead.

The library: **pyenchant** over Hunspell, with OpenTaal's nl dictionary shipped in
``ib_desktop/resources/spelling/`` (BSD / CC BY 3.0, see ``LICENSE-OpenTaal`` there).

- pyenchant is actively kept (3.3.0, September 2025) and widely used; its Windows wheel bundles
  libenchant with the Hunspell provider, so a school laptop needs nothing else. On Linux it uses
  the system's ``libenchant-2-2`` (Debian), which CI installs (``.ci/run``).
- Hunspell applies the dictionary's affix and compound rules in C: Dutch compounds and
  diminutives ("rekenstrategieën", "leerkrachtjes") are accepted, the dictionary loads in about
  0.2 s and a suggestion takes milliseconds.
- Passed over: ``spylls`` (pure-Python Hunspell, last release January 2022, unmaintained, and its
  suggestions take seconds for Dutch), ``phunspell`` (a thin layer over spylls, last release 2021),
  ``cyhunspell`` (last release 2021, compiled against libhunspell with no current wheels) and
  ``pyspellchecker`` (word frequency lists without affix rules: every Dutch compound would be red).

Enchant finds Hunspell dictionaries in its configuration folder (``ENCHANT_CONFIG_DIR``) and
writes small personal-word-list files there, so the shipped dictionary is copied once into a
private folder in the user's configuration folder rather than pointing enchant at the package
(which may be read-only). The user's own words ("Toevoegen aan woordenboek") are kept in a file
of our own next to it, one word a line, readable by the user alone.

Not flagged, whatever the dictionary says: words with digits, ALL-CAPS abbreviations (OPP, SWV),
web addresses and e-mail addresses, single letters, the school words in ``domain_words.txt``,
and the user's own words. Text in NFD (as some Mac and web sources deliver it) is checked as NFC.

This module has no Qt: the highlighter and the context menu are in
``ib_desktop.ui.widgets.spelling``.
"""

from __future__ import annotations

import filecmp
import logging
import os
import re
import shutil
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ib_desktop import APP_SLUG

log = logging.getLogger(__name__)

#: Enchant's language tag of the shipped dictionary (``nl.aff`` / ``nl.dic``).
LANGUAGE = "nl"
#: The shipped files: dictionary, affix rules, licence, school words.
DICTIONARY_FILES = ("nl.aff", "nl.dic")
DOMAIN_WORDS_FILE = "domain_words.txt"
USER_WORDS_FILE = "eigen-woorden.txt"
#: At most this many suggestions in the menu.
MAX_SUGGESTIONS = 5
#: Remembered verdicts; a plan has a few thousand distinct words, so this is rarely reached.
_CACHE_LIMIT = 200_000

# Letters with their combining marks (NFD text), joined by hyphens or apostrophes inside a word.
_LETTER = r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])"
_WORD = re.compile(rf"{_LETTER}+(?:['\u2019\-]{_LETTER}+)*")
# Web and e-mail addresses are skipped whole (their parts are no words).
_SKIP = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    r"|\b[\w\-]+(?:\.[\w\-]+)*\.(?:nl|be|com|org|net|eu|info|edu)(?:/\S*)?\b",
    re.IGNORECASE,
)


class _Backend(Protocol):
    def check(self, word: str) -> bool: ...
    def suggest(self, word: str) -> list[str]: ...


#: The loaded dictionaries of this process, by the function that loads them: the dictionary is
#: the same for every checker, so it is read once (the user's words are per checker).
_loaded: dict[Callable[[Path], _Backend], _Backend] = {}
_loading_lock = threading.Lock()


@dataclass(frozen=True)
class Misspelling:
    """A flagged word: ``text[start:end] == word`` (Python string indexes)."""

    start: int
    end: int
    word: str


def default_config_dir() -> Path:
    """The spelling folder in the user's configuration folder (per user, private)."""
    from platformdirs import user_config_path

    return user_config_path(APP_SLUG, appauthor=False) / "spelling"


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) for each word of ``text`` that is worth checking, in order."""
    skipped = [m.span() for m in _SKIP.finditer(text)] if ("@" in text or "." in text) else []
    for m in _WORD.finditer(text):
        start, end = m.span()
        if skipped and any(s <= start < e for s, e in skipped):
            continue
        yield start, end, m.group()


def _is_exempt(word: str) -> bool:
    """Words no dictionary should judge: digits (E5, 3x), abbreviations (OPP), single letters."""
    if any(ch.isdigit() for ch in word):
        return True
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) <= 1:
        return True
    # ALL CAPS, also with a suffix after a hyphen or apostrophe ("OPP's", "SWV-en").
    head = re.split(r"['\u2019\-]", word, maxsplit=1)[0]
    return len(head) >= 2 and head.isupper()


def _load_word_file(path: Path) -> set[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return set()
    except OSError:
        log.warning("Spelling: the user's word list %s could not be read", path, exc_info=True)
        return set()
    return {
        unicodedata.normalize("NFC", line.strip())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }


def _shipped_domain_words() -> set[str]:
    from ib_desktop.resources import resource

    text = resource("spelling", DOMAIN_WORDS_FILE).read_text(encoding="utf-8")
    return {
        unicodedata.normalize("NFC", line.strip())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }


def _same_file(a: Path, b: Path) -> bool:
    try:
        return filecmp.cmp(a, b, shallow=False)  # a newer version may have the same size
    except OSError:
        return False


def _point_enchant_at(config_dir: Path) -> None:
    """Enchant reads its folder from the environment when a broker starts.

    Called in the GUI thread before a background load, so the loading thread finds it set and
    never writes the environment while Qt may read it.
    """
    folder = str(config_dir / "enchant")
    if os.environ.get("ENCHANT_CONFIG_DIR") != folder:
        os.environ["ENCHANT_CONFIG_DIR"] = folder


def enchant_backend(config_dir: Path) -> _Backend:
    """The Hunspell dictionary through pyenchant, with enchant's files in ``config_dir``.

    Raises ImportError when pyenchant or the system's libenchant is missing, and
    ``enchant.errors.DictNotFoundError`` when the dictionary could not be installed.
    """
    from ib_desktop.resources import resource_path
    from ib_desktop.storage import make_private_dirs

    enchant_dir = config_dir / "enchant"
    hunspell_dir = enchant_dir / "hunspell"
    make_private_dirs(hunspell_dir)
    for name in DICTIONARY_FILES:
        shipped = resource_path("spelling", name)
        target = hunspell_dir / name
        if not _same_file(shipped, target):
            partial = target.with_suffix(target.suffix + ".part")
            shutil.copyfile(shipped, partial)
            os.replace(partial, target)
    _point_enchant_at(config_dir)
    import enchant

    broker = enchant.Broker()
    return broker.request_dict(LANGUAGE)


class SpellChecker:
    """Dutch spell checking: cheap enough per word to run while the user types.

    The dictionary loads on first :meth:`load` (blocking) or :meth:`load_in_background`, once per
    process (later checkers share it); until it is ready nothing is flagged. Verdicts are cached
    per word, so a long text with the same words again and again costs one lookup per word.
    """

    def __init__(
        self,
        config_dir: Path | None = None,
        *,
        backend_factory: Callable[[Path], _Backend] = enchant_backend,
    ) -> None:
        self.config_dir = config_dir if config_dir is not None else default_config_dir()
        self._backend_factory = backend_factory
        self._backend: _Backend | None = None
        self._failed = False
        self._thread: threading.Thread | None = None
        self._cache: dict[str, bool] = {}
        self._ignored: set[str] = set()
        self._user_words: set[str] = _load_word_file(self.user_words_path)
        self._domain_words: set[str] = _shipped_domain_words()
        self._domain_folded = {w.casefold() for w in self._domain_words}
        #: How many words went to the dictionary itself (the rest came from the cache).
        self.lookups = 0
        #: The dictionary was asked for through this checker (not before a field has text).
        self.load_requested = False

    # ------------------------------------------------------------------ loading
    @property
    def user_words_path(self) -> Path:
        """The file of the user's own words."""
        return self.config_dir / USER_WORDS_FILE

    def is_ready(self) -> bool:
        """The dictionary is loaded: words are being checked."""
        self.load_requested = True
        if self._backend is None:
            self._backend = _loaded.get(self._backend_factory)
        return self._backend is not None

    def is_available(self) -> bool:
        """False once loading failed (no libenchant): spell checking is off, nothing flagged."""
        return not self._failed

    def load(self) -> bool:
        """Load the dictionary now (once; later calls return at once). True if it is ready."""
        self.load_requested = True
        with _loading_lock:
            if self._backend is None and not self._failed:
                backend = _loaded.get(self._backend_factory)
                if backend is None:
                    try:
                        backend = self._backend_factory(self.config_dir)
                    except Exception:  # noqa: BLE001 - any failure means: no spell checking
                        log.warning("Spelling: the Dutch dictionary did not load", exc_info=True)
                        self._failed = True
                        return False
                    _loaded[self._backend_factory] = backend
                self._backend = backend
        return self._backend is not None

    def load_in_background(self, done: Callable[[], None] | None = None) -> None:
        """Start loading in a thread (once); ``done`` is called from that thread when ready."""
        self.load_requested = True
        if self.is_ready() or self._failed:
            return
        with _loading_lock:
            if self._thread is not None:
                return

            if self._backend_factory is enchant_backend and _loaded.get(enchant_backend) is None:
                _point_enchant_at(self.config_dir)

            def run() -> None:
                if self.load() and done is not None:
                    done()

            self._thread = threading.Thread(target=run, name="spelling-load", daemon=True)
            self._thread.start()

    def wait_until_loaded(self, timeout: float | None = None) -> bool:
        """Block until a background load has finished (tests, and a clean shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.is_ready()

    # ------------------------------------------------------------------ checking
    def is_correct(self, word: str) -> bool:
        """True unless ``word`` is a misspelling (also True while the dictionary is not ready)."""
        word = unicodedata.normalize("NFC", word).replace("\u2019", "'")
        if _is_exempt(word):
            return True
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        backend = self._backend
        if backend is None:
            return True
        verdict = self._judge(word, backend)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = verdict
        return verdict

    def _judge(self, word: str, backend: _Backend) -> bool:
        if self._known(word):
            return True
        if self._in_dictionary(word, backend):
            return True
        # "taal-leesontwikkeling", "IB-er": every part right is right.
        parts = [p for p in word.split("-") if p]
        if len(parts) > 1:
            return all(
                _is_exempt(p) or self._known(p) or self._in_dictionary(p, backend) for p in parts
            )
        return False

    def _known(self, word: str) -> bool:
        return (
            word in self._user_words
            or word in self._ignored
            or word.casefold() in self._domain_folded
            or word.lower() in self._user_words
        )

    def _in_dictionary(self, word: str, backend: _Backend) -> bool:
        self.lookups += 1
        try:
            return bool(backend.check(word))
        except Exception:  # noqa: BLE001 - a word the library chokes on is not the user's fault
            log.debug("Spelling: could not check %r", word, exc_info=True)
            return True

    def misspellings(self, text: str) -> list[Misspelling]:
        """The flagged words of ``text`` (any text: nothing here raises)."""
        if not self.is_ready():
            return []
        return [
            Misspelling(start, end, word)
            for start, end, word in words(text)
            if not self.is_correct(word)
        ]

    def suggestions(self, word: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        """Up to ``limit`` Dutch words the user may have meant, best first."""
        if not self.is_ready():
            return []
        backend = self._backend
        assert backend is not None
        word = unicodedata.normalize("NFC", word).replace("\u2019", "'")
        try:
            found = backend.suggest(word)
        except Exception:  # noqa: BLE001
            log.debug("Spelling: no suggestions for %r", word, exc_info=True)
            return []
        out: list[str] = []
        for s in found:
            s = unicodedata.normalize("NFC", s)
            if s != word and s not in out:
                out.append(s)
            if len(out) >= limit:
                break
        return out

    # ------------------------------------------------------------------ the user's words
    def add_word(self, word: str) -> None:
        """Accept ``word`` from now on, also in later sessions (saved in the user's file).

        Raises OSError when the file cannot be written; the word is accepted in this session.
        """
        from ib_desktop.storage import PRIVATE_FILE_MODE, make_private_dirs

        word = unicodedata.normalize("NFC", word.strip()).replace("\u2019", "'")
        if not word or "\n" in word or word in self._user_words:
            return
        self._user_words.add(word)
        self._cache.clear()  # also compounds with this word ("IB-er-overleg")
        make_private_dirs(self.config_dir)
        path = self.user_words_path
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(word + "\n")
        if os.name == "posix":
            os.chmod(path, PRIVATE_FILE_MODE)

    def ignore_word(self, word: str) -> None:
        """Accept ``word`` until the program closes ("Negeren")."""
        word = unicodedata.normalize("NFC", word).replace("\u2019", "'")
        self._ignored.add(word)
        self._cache.clear()  # also compounds with this word ("IB-er-overleg")
