"""Text from users (pupil names, notes, imported rows) made safe for a terminal or a file name.

A name from an LVS export can hold anything. Printed as it is, ``Ali\\x1b[2J`` clears the
IB-er's terminal and ``\\x1b]0;...\\x07`` retitles the window; as a file name, a right-to-left
override turns "\\u202eexe.fdp" into what looks like "pdf.exe", and a "/" makes a folder.

The command line installs :class:`TerminalSafeStream` on stdout and stderr (see
``ib_desktop.cli.main``), so everything a command prints passes :func:`terminal_safe`; a new
command cannot forget it. File names go through :func:`safe_filename`; the rules for Windows'
reserved names and characters are pathvalidate's, the character classes are Unicode's
(``unicodedata``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TextIO

from pathvalidate import sanitize_filename

# ECMA-48 escape sequences, with the 7-bit (ESC x) and the 8-bit (C1) introducers:
# control strings (OSC, DCS, SOS, PM, APC) up to their terminator, CSI with its parameters,
# and the other two- and three-character escapes.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b[ -/]*[0-~]",
    re.DOTALL,
)
# Unicode's explicit bidirectional formatting classes (embeddings, overrides, isolates).
_BIDI_CONTROLS = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
_KEPT_CONTROLS = frozenset("\n\t\r")  # "\r" only before "\n": see terminal_safe
_LONE_CARRIAGE_RETURN = re.compile(r"\r(?!\n)")

FILENAME_MAX_CHARS = 100
# ext4 and NTFS allow 255 bytes (UTF-8) or characters; room is left for " (123).pdf".
_FILENAME_MAX_BYTES = 200


def _shown(ch: str) -> bool:
    if ch in _KEPT_CONTROLS:
        return True
    if unicodedata.category(ch) == "Cc":  # C0, DEL and C1
        return False
    return unicodedata.bidirectional(ch) not in _BIDI_CONTROLS


def terminal_safe(text: str) -> str:
    """``text`` without terminal escape sequences, control characters or bidi overrides.

    Newlines and tabs stay; a carriage return only where it ends a line ("\\r\\n"), since a
    lone one lets the rest of a text overwrite what came before it on the line.
    """
    text = _LONE_CARRIAGE_RETURN.sub("", _ESCAPE_SEQUENCE.sub("", text))
    return "".join(ch for ch in text if _shown(ch))


class TerminalSafeStream:
    """Wraps stdout or stderr so that everything written passes :func:`terminal_safe`.

    A carriage return at the very start of a write is kept: that is how a command redraws
    its own progress line ("\\r  40% ..."); inside a text it is still removed.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Write the safe form of ``text``; returns the length of ``text`` as callers expect."""
        lead = "\r" if text.startswith("\r") and not text.startswith("\r\n") else ""
        self.stream.write(lead + terminal_safe(text[len(lead) :]))
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        """Write each line through :meth:`write`."""
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        # flush, isatty, encoding, fileno...: those of the wrapped stream.
        return getattr(self.stream, name)


def safe_filename(text: str, default: str = "document") -> str:
    """A file name made from ``text`` that every file system accepts and that shows what it is.

    NFC (as macOS and Windows expect), without control or invisible formatting characters
    (bidi overrides, zero-width spaces), path separators, Windows' reserved characters and
    names (CON, LPT1...), leading or trailing dots and spaces; at most 100 characters. An
    empty result becomes ``default``.
    """
    text = unicodedata.normalize("NFC", _ESCAPE_SEQUENCE.sub("", text))
    visible = "".join(
        " " if ch.isspace() else ch for ch in text if ch.isspace() or not _invisible(ch)
    )
    name = sanitize_filename(
        visible, replacement_text=" ", platform="universal", max_len=_FILENAME_MAX_BYTES
    )
    # Removing characters can bring a letter and its accent together: compose them again.
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    name = name[:FILENAME_MAX_CHARS].strip(" .")
    # Once more, since cutting may leave a reserved name ("CON") or a trailing dot.
    name = sanitize_filename(name, platform="universal", max_len=_FILENAME_MAX_BYTES)
    return name or default


def _invisible(ch: str) -> bool:
    """Unicode's "other" characters: control, format (Cf), surrogate, private use, unassigned."""
    return unicodedata.category(ch).startswith("C")
