"""Dutch personal names: tussenvoegsels, sorting, display, and folding for comparison."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Longest first, so "van der" wins over "van".
TUSSENVOEGSELS = sorted(
    [
        "van der", "van den", "van de", "van 't", "van het", "in 't", "in de", "in het",
        "op de", "op den", "op 't", "uit de", "uit den", "aan de", "aan den", "bij de",
        "onder de", "over de", "voor de", "van", "de", "der", "den", "het", "te", "ter",
        "ten", "'t", "d'", "op", "in", "uit", "von", "von der", "le", "la", "el", "al",
        "du", "da", "di", "dos", "das", "del", "della", "vande", "vanden", "vander",
    ],
    key=len,
    reverse=True,
)  # fmt: skip


def dutch_name(first: str, tussenvoegsel: str, last: str) -> str:
    """"Jan van der Berg": the name as it is spoken."""
    return " ".join(p for p in (first, tussenvoegsel, last) if p)


def split_tussenvoegsel(last_name: str) -> tuple[str, str]:
    """Split "van der Berg" into ("van der", "Berg"); a name without one comes back as is."""
    name = " ".join(last_name.split())
    lower = name.lower()
    for tv in TUSSENVOEGSELS:
        if lower.startswith(tv + " ") and len(name) > len(tv) + 1:
            return tv, name[len(tv) + 1 :]
    return "", name


def split_trailing_tussenvoegsel(last_name: str) -> tuple[str, str]:
    """Split "Berg, van der" or "Berg van der" (LVS exports) into ("van der", "Berg")."""
    name = " ".join(last_name.replace(",", " ").split())
    lower = name.lower()
    for tv in TUSSENVOEGSELS:
        if lower.endswith(" " + tv) and len(name) > len(tv) + 1:
            return tv, name[: -len(tv) - 1].strip()
    return "", name


def split_last_name(last_name: str) -> tuple[str, str]:
    """Find the tussenvoegsel wherever an export put it: "van der Berg", "Berg, van der".

    A leading tussenvoegsel wins; a trailing one is only looked for when there is none in
    front. A name without one comes back as ("", name).
    """
    name = " ".join(last_name.split())
    if "," in name:
        head, _, tail = name.partition(",")
        tail = " ".join(tail.split())
        if tail and tail.lower() in TUSSENVOEGSELS:
            return tail.lower(), head.strip()
        return split_trailing_tussenvoegsel(name)
    tv, rest = split_tussenvoegsel(name)
    if tv:
        return tv, rest
    return split_trailing_tussenvoegsel(name)


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """Split a whole name into (first name, tussenvoegsel, last name).

    Understands both orders LVS exports use: "Sanne van der Berg" and "Berg, Sanne van der"
    (or "van der Berg, Sanne"). Without a tussenvoegsel the last word is the last name, so
    "Anne Marie Jansen" gives ("Anne Marie", "", "Jansen"). A single word is a last name.
    """
    name = " ".join(full_name.split())
    if not name:
        return "", "", ""
    if "," in name:
        head, _, tail = name.partition(",")
        head, tail = head.strip(), " ".join(tail.split())
        tv, last = split_tussenvoegsel(head)
        tv2, first = split_trailing_tussenvoegsel(tail)
        if tail.lower() in TUSSENVOEGSELS:  # "Berg, van der": no first name at all
            tv2, first = tail.lower(), ""
        return first, tv or tv2, last
    tokens = name.split(" ")
    if len(tokens) == 1:
        return "", "", name
    for i in range(1, len(tokens) - 1):
        tv, last = split_tussenvoegsel(" ".join(tokens[i:]))
        if tv:
            return " ".join(tokens[:i]), tv, last
    return " ".join(tokens[:-1]), "", tokens[-1]


#: Letters that Unicode does not decompose into a base letter and a mark, but that a name written
#: on another keyboard (or read in another encoding) gives as plain letters: Turkish dotless i,
#: German sharp s, Scandinavian and Polish letters, ligatures.
_FOLD_LETTERS = str.maketrans(
    {
        "ı": "i", "İ": "i", "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
        "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
        "þ": "th", "Þ": "th", "ħ": "h", "Ħ": "h",
        "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'",
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-",
    }
)  # fmt: skip


def nfc(text: str) -> str:
    """The text in composed form (NFC), with its spacing tidied: how names are stored.

    A Mac writes "ë" as "e" plus a combining diaeresis (NFD); stored as given, the same name
    would be two different strings.
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def _fold_once(text: str) -> str:
    s = unicodedata.normalize("NFC", text).translate(_FOLD_LETTERS).casefold()
    s = unicodedata.normalize("NFKD", s)  # also splits ligatures such as "ĳ" and "ﬁ"
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).translate(_FOLD_LETTERS)
    return " ".join(unicodedata.normalize("NFC", s).split())


@lru_cache(maxsize=16384)  # names repeat: every surname of a school, again each import
def fold_name(text: str) -> str:
    """A name reduced to what stays the same however it was typed or encoded.

    "Yılmaz" (Turkish dotless i, as an .xlsx holds it) and "Yilmaz" (what a cp1252 CSV can
    hold), "Zoë" in NFC or NFD, "Strauß" and "Strauss", "Ĳsselmeer" and "IJsselmeer" fold to
    the same text. Only for comparing: names are stored as given (in NFC).
    """
    folded = _fold_once(text)
    for _ in range(4):  # rarely a second pass finds more to fold; stop at the fixed point
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return folded
