"""The evaluation form a teacher fills in any PDF reader: one fillable PDF per teacher.

Per goal the pupil, the document, the goal and what was done (uitvoering) are printed, and
beside them two AcroForm fields: a multi-line text field for the evaluation and a choice field
for the outcome. The form's description (which database, which teacher, which goal at which
version) goes in a hidden read-only field and in the document information; the fields are
named after the goal's number on the form (``evaluatie_3``, ``uitkomst_3``).
"""

from __future__ import annotations

import io
import json
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table

from ib_desktop.dates import long_date
from ib_desktop.services.plans.evaluation_forms import (
    META_FIELD,
    META_INFO_KEY,
    OUTCOME_CHOICES,
    FormContent,
    FormItem,
    evaluation_field,
    outcome_field,
)

from .base import (
    ACCENT,
    FONT_BOLD,
    MUTED,
    RULE,
    SHADE,
    ReportInfo,
    build_pdf,
    content_width,
    derived_style,
    esc,
    paragraph,
    spacer,
    styles,
    table_style,
)
from .markdown import markdown_flowables

EVALUATION_HEIGHT = 42 * mm
OUTCOME_WIDTH = 60 * mm
OUTCOME_HEIGHT = 8 * mm
FIELD_BORDER = colors.HexColor("#8a94a6")
FIELD_FILL = colors.HexColor("#f7f9fc")


class FormField(Flowable):
    """An AcroForm field drawn where the flowable lands on the page."""

    def __init__(self, kind: str, name: str, width: float, height: float, **options: Any) -> None:
        super().__init__()
        self.kind = kind
        self.name = name
        self.width = width
        self.height = height
        self.options = options

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        form = self.canv.acroForm
        common = dict(
            name=self.name,
            x=0,
            y=0,
            width=self.width,
            height=self.height,
            relative=True,
            borderColor=FIELD_BORDER,
            fillColor=FIELD_FILL,
            textColor=colors.black,
            borderWidth=0.8,
            forceBorder=True,
            fontSize=10,
            **self.options,
        )
        if self.kind == "text":
            form.textfield(fieldFlags="multiline doNotSpellCheck", maxlen=None, **common)
        else:
            form.choice(fieldFlags="combo", **common)


class HiddenField(Flowable):
    """The form's description: a hidden, read-only text field that takes no room."""

    def __init__(self, name: str, value: str) -> None:
        super().__init__()
        self.name = name
        self.value = value
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.canv.acroForm.textfield(
            name=self.name,
            value=self.value,
            x=0,
            y=0,
            width=1,
            height=1,
            relative=True,
            annotationFlags="hidden",
            fieldFlags="readOnly",
            maxlen=None,
            borderWidth=0,
        )


def _item(item: FormItem, width: float) -> KeepTogether:
    st = styles()
    head = derived_style(st.h3, "formitem", textColor=ACCENT, spaceBefore=0)
    group = f" (groep {item.group_name})" if item.group_name else ""
    label = "" if item.label in ("", "Doel") else f": {item.label}"
    title = paragraph(
        f"{item.n}. {esc(item.pupil_name)}{esc(group)} · {esc(item.document_title)}{esc(label)}",
        head,
    )
    due = paragraph(f"Te evalueren op {esc(long_date(item.due))}", st.muted)
    label_w = 28 * mm
    context = Table(
        [
            [
                paragraph("Doel", st.cell_head),
                markdown_flowables(item.goal, st.cell) or paragraph("–", st.cell),
            ],
            [
                paragraph("Uitvoering", st.cell_head),
                markdown_flowables(item.execution, st.cell) or paragraph("–", st.cell),
            ],
        ],
        colWidths=[label_w, width - label_w],
        hAlign="LEFT",
    )
    context.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LINEBELOW", (0, 0), (-1, 0), 0.3, RULE),
            ]
        )
    )
    who = f"{item.pupil_name}, {item.label}" if item.label else item.pupil_name
    evaluation = FormField(
        "text",
        evaluation_field(item.n),
        width,
        EVALUATION_HEIGHT,
        value=item.evaluation,
        tooltip=f"Evaluatie: {who}",
    )
    options = [label for label, _o in OUTCOME_CHOICES]
    current = next(lbl for lbl, o in OUTCOME_CHOICES if o == item.outcome)
    outcome = FormField(
        "choice",
        outcome_field(item.n),
        OUTCOME_WIDTH,
        OUTCOME_HEIGHT,
        value=current,
        options=options,
        tooltip=f"Uitkomst: {who}",
    )
    label_style = derived_style(st.cell_head, "formlabel", fontName=FONT_BOLD, textColor=MUTED)
    outcome_row = Table(
        [[paragraph("Uitkomst", label_style), outcome]],
        colWidths=[label_w, OUTCOME_WIDTH],
        hAlign="LEFT",
    )
    outcome_row.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether(
        [
            title,
            due,
            spacer(1.5),
            context,
            spacer(2.5),
            paragraph("Evaluatie (wat is bereikt, wat werkte, wat is nog nodig?)", label_style),
            spacer(1),
            evaluation,
            spacer(2.5),
            outcome_row,
            spacer(8),
        ]
    )


def evaluation_form_pdf(content: FormContent) -> bytes:
    """The fillable form of one teacher as PDF bytes."""
    st = styles()
    info = ReportInfo(
        title=f"Evaluatieformulier {content.teacher_name}",
        footer=f"Evaluatieformulier · {content.teacher_name} · {long_date(content.made_on)}",
        header_right=content.school_name,
        subject="Evaluaties om in te vullen en terug te sturen",
    )
    width = content_width(info)
    meta = json.dumps(content.meta(), ensure_ascii=True, separators=(",", ":"))
    n = len(content.items)
    story: list[Flowable] = [
        HiddenField(META_FIELD, meta),
        paragraph("Evaluatieformulier", st.title),
        paragraph(
            f"{esc(content.teacher_name)} · gemaakt op {esc(long_date(content.made_on))}",
            st.subtitle,
        ),
        paragraph(
            f"Op dit formulier staan {n} {'doel' if n == 1 else 'doelen'} om te evalueren. "
            "Schrijf per doel de evaluatie in het vak en kies de uitkomst. Dat kan in elk "
            "PDF-programma (Acrobat Reader, Edge, Voorvertoning). Sla het formulier daarna op "
            "met <b>Opslaan</b> (niet 'Afdrukken als PDF') en mail het terug aan de IB-er.",
            st.body,
        ),
        paragraph(
            "Een vak dat u leeg laat, verandert niets. Elk formulier wordt één keer ingelezen.",
            st.muted,
        ),
        spacer(6),
    ]
    for item in content.items:
        story.append(_item(item, width))
    raw = build_pdf(info, story)
    return _with_info(raw, meta)


def _with_info(data: bytes, meta: str) -> bytes:
    """A second copy of the description in the document information; readers fill fields."""
    from pypdf import PdfWriter
    from pypdf.generic import BooleanObject, NameObject

    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.add_metadata({META_INFO_KEY: meta})
    acro = writer._root_object.get("/AcroForm")
    if acro is not None:
        acro.get_object()[NameObject("/NeedAppearances")] = BooleanObject(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
