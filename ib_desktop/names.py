"""Dutch personal names: tussenvoegsels, sorting and display."""

from __future__ import annotations

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
