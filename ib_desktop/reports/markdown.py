"""Markdown (as Qt's text editor writes it) turned into reportlab flowables.

Rich text is stored as the Markdown that ``QTextEdit.toMarkdown()`` produces: paragraphs
separated by blank lines, "- " or "* " bullets (indented for a nested list), "1. " numbered
lists, ``**bold**``, ``*italic*`` / ``_italic_``, "#" headings and backslash escapes. This
module understands that subset, which is all the editors can produce, and escapes everything
else so that a "<" typed by a teacher never breaks the PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, ListFlowable, ListItem

from ib_desktop.markdown_text import unwrap_markdown

from .base import derived_style, esc, paragraph, styles

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,3}[.)])[ \t]+(?P<text>.*)$")
_HEADING = re.compile(r"^#{1,6}[ \t]+(?P<text>.*?)[ \t#]*$")
_ESCAPABLE = r"\\`*_{}\[\]()#+\-.!<>|~"
_ESCAPED = re.compile(rf"\\([{_ESCAPABLE}])")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_ITALIC_UNDERSCORE = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")


def inline(text: str) -> str:
    """One line of Markdown as reportlab paragraph markup (escaped, with <b> and <i>)."""
    # Backslash escapes become private-use characters first, so they survive the emphasis rules.
    held: list[str] = []

    def hold(m: re.Match[str]) -> str:
        held.append(m.group(1))
        return f"\ue000{len(held) - 1}\ue001"

    s = _ESCAPED.sub(hold, text)
    s = esc(s)
    s = _BOLD.sub(r"<b>\2</b>", s)
    s = _ITALIC_STAR.sub(r"<i>\1</i>", s)
    s = _ITALIC_UNDERSCORE.sub(r"<i>\1</i>", s)
    s = _STRIKE.sub(r"<strike>\1</strike>", s)
    return re.sub("\ue000(\\d+)\ue001", lambda m: esc(held[int(m.group(1))]), s)


@dataclass
class _Item:
    indent: int
    ordered: bool
    text: list[str]
    children: list[_Item] = field(default_factory=list)


def _joined(lines: list[str]) -> str:
    """Lines of one paragraph: hard breaks (two spaces or a backslash at the end) kept."""
    out: list[str] = []
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        hard = line.endswith("  ") or line.endswith("\\")
        body = inline(line.rstrip().rstrip("\\").strip())
        out.append(body + ("" if last else "<br/>" if hard else " "))
    return "".join(out).strip()


def _list_flowable(items: list[_Item], style: ParagraphStyle, depth: int = 0) -> ListFlowable:
    ordered = items[0].ordered
    children = []
    for item in items:
        content: list[Flowable] = [paragraph(_joined(item.text), style)]
        if item.children:
            content.append(_list_flowable(item.children, style, depth + 1))
        children.append(ListItem(content if len(content) > 1 else content[0]))
    bullet = "–" if depth else "•"
    return ListFlowable(
        children,
        bulletType="1" if ordered else "bullet",
        start=None if ordered else bullet,
        leftIndent=12,
        bulletFontName=style.fontName,
        bulletFontSize=style.fontSize,
        spaceBefore=1,
        spaceAfter=3,
    )


def markdown_flowables(text: str | None, style: ParagraphStyle | None = None) -> list[Flowable]:
    """The flowables of a Markdown text; an empty list for empty text."""
    if not text or not text.strip():
        return []
    base = style or styles().body
    heading = derived_style(base, "heading", fontName="DejaVuSans-Bold", keepWithNext=True)
    out: list[Flowable] = []
    para_lines: list[str] = []
    roots: list[_Item] = []
    stack: list[_Item] = []

    def flush_paragraph() -> None:
        if para_lines:
            out.append(paragraph(_joined(para_lines), base))
            para_lines.clear()

    def flush_list() -> None:
        if roots:
            # A list may mix bullets and numbers; each run of one kind becomes its own list.
            run: list[_Item] = []
            for item in roots:
                if run and run[0].ordered != item.ordered:
                    out.append(_list_flowable(run, base))
                    run = []
                run.append(item)
            out.append(_list_flowable(run, base))
            roots.clear()
            stack.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.expandtabs(4)
        if not line.strip():
            flush_paragraph()
            continue
        if m := _BULLET.match(line):
            flush_paragraph()
            indent = len(m.group("indent"))
            item = _Item(indent, m.group("marker")[0].isdigit(), [m.group("text")])
            while stack and stack[-1].indent >= indent:
                stack.pop()
            (stack[-1].children if stack else roots).append(item)
            stack.append(item)
            continue
        if stack and line.startswith(" "):
            stack[-1].text.append(line.strip())  # continuation of the list item
            continue
        if stack:
            flush_list()
        if m := _HEADING.match(line):
            flush_paragraph()
            out.append(paragraph(inline(m.group("text")), heading))
            continue
        para_lines.append(line)
    flush_paragraph()
    flush_list()
    return out


def markdown_plain(text: str | None) -> str:
    """Markdown reduced to plain text (for a single table cell line or a title)."""
    if not text:
        return ""
    # Lines wrapped inside a paragraph are one line here, not two items ("per; som").
    s = _ESCAPED.sub(r"\1", unwrap_markdown(text))
    s = re.sub(r"(\*\*|__|~~)", "", s)
    s = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*", r"\1", s)
    lines = [re.sub(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+", "", ln).strip() for ln in s.splitlines()]
    return "; ".join(ln for ln in lines if ln)
