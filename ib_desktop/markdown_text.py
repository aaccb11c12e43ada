"""Rich text as it is stored: Markdown without the line wrapping of Qt's writer.

``QTextDocument.toMarkdown()`` breaks every paragraph and list item at 80 columns and has no
option to stop it. Those breaks are no part of what the teacher wrote: the evaluation dialog,
the printed overview, the version diff and the change log all showed goals cut mid-sentence.
:func:`unwrap_markdown` joins the lines of each paragraph again, using a real CommonMark parser
(markdown-it-py, the same grammar as Qt's md4c reader) to find the paragraphs, so paragraph
breaks, list structure, block quotes, code blocks and hard line breaks stay as they are.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_QUOTE_MARKER = re.compile(r"^[ \t]{0,3}>[ \t]?")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # GitHub's dialect as Qt writes it: tables and strikethrough on top of CommonMark.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _is_hard_break(line: str) -> bool:
    """A line ending the CommonMark way for a hard break: two spaces or one backslash."""
    if line.endswith("  "):
        return True
    trailing = len(line) - len(line.rstrip("\\"))
    return trailing % 2 == 1


def _breaks(inline: Token | None, lines: list[str]) -> list[bool]:
    """For each line end inside a paragraph: True where it is a hard break."""
    wanted = len(lines) - 1
    if inline is not None and inline.children is not None:
        breaks = ("softbreak", "hardbreak")
        kinds = [t.type == "hardbreak" for t in inline.children if t.type in breaks]
        if len(kinds) == wanted:
            return kinds
    # A line end inside a code span or inline HTML is no break token: read the lines themselves.
    return [_is_hard_break(line) for line in lines[:-1]]


def unwrap_markdown(text: str | None) -> str:
    """The same Markdown with every soft-wrapped paragraph (or list item) on one line.

    Only line ends that Markdown reads as a space are removed; everything else (blank lines,
    list markers and their indentation, "> " quotes, headings, code, hard breaks written as two
    spaces or a backslash) is left character for character.
    """
    if not text:
        return text or ""
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = source.split("\n")
    tokens = _parser().parse(source)
    joins: dict[int, int] = {}  # line index -> blockquote depth, for lines joined to the one above
    depth = 0
    for i, token in enumerate(tokens):
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
        elif token.type == "paragraph_open" and token.map is not None:
            start, end = token.map
            if end - start < 2:
                continue
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            inline = following if following is not None and following.type == "inline" else None
            hard = _breaks(inline, lines[start:end])
            for offset, is_hard in enumerate(hard):
                if not is_hard:
                    joins[start + offset + 1] = depth
    if not joins:
        return source
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in joins and out:
            rest = line
            for _ in range(joins[index]):
                rest = _QUOTE_MARKER.sub("", rest, count=1)
            rest = rest.strip()
            if rest:
                out[-1] = out[-1].rstrip() + " " + rest
            continue
        out.append(line)
    return "\n".join(out)
