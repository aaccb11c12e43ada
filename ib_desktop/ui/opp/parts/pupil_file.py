"""Parts 1, 2 and 3: the pupil file as the OPP shows it, completed without leaving the OPP."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Slot
from PySide6.QtWidgets import QLabel, QWidget

from ib_desktop.dates import long_date
from ib_desktop.services import opp as svc
from ib_desktop.services.labels import care_scope_phrase
from ib_desktop.services.opp.parts import NOT_APPLICABLE_FIELDS, OppPart
from ib_desktop.ui.opp.common import esc, long_iso_date, prose
from ib_desktop.ui.opp.parts.base import NotApplicableBox, PartPage


class PupilFilePage(PartPage):
    """Parts 1, 2 and 3: the pupil file as the OPP shows it, completed without leaving the OPP."""

    NOTES = {
        "algemeen": "general_notes",
        "schoolloopbaan": "school_career_notes",
        "onderzoek": "assessment_notes",
    }
    NOTE_LABELS = {
        "algemeen": QT_TRANSLATE_NOOP("opp", "Aanvullingen op de algemene gegevens"),
        "schoolloopbaan": QT_TRANSLATE_NOOP(
            "opp", "Verloop van de schoolloopbaan (ook de voorschoolse periode)"
        ),
        "onderzoek": QT_TRANSLATE_NOOP("opp", "Toelichting op onderzoek en diagnostiek"),
    }
    # Dialog classes of the pupil file (ui.pupil_file.child_dialogs) per link kind.
    DIALOGS = {
        "guardian": "GuardianDialog",
        "care": "CareProviderDialog",
        "history": "HistoryDialog",
        "assessment": "AssessmentDialog",
    }

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.summary = QLabel()
        self.summary.setObjectName("pupilSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.summary.linkActivated.connect(self._on_link)
        self.summary.setStyleSheet(
            "QLabel#pupilSummary { background: palette(base); padding: 10px; "
            "border: 1px solid palette(mid); }"
        )
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setStyleSheet("color: palette(placeholder-text);")
        self.form.addWidget(self.source_label)
        self.form.addWidget(self.summary)
        self.na: NotApplicableBox | None = None
        if part.key in NOT_APPLICABLE_FIELDS:
            self.na = NotApplicableBox(
                self.tr("Niet van toepassing (er is geen onderzoek gedaan)"),
                self.tr("er is geen onderzoek nodig geweest"),
            )
            self.watch(self.na.check)
            self.watch(self.na.reason)
            self.na.toggled.connect(self._on_na_toggled)
            self.form.addWidget(self.na)
        self.notes = self.watch(prose(min_lines=3))
        self.form.addWidget(
            self.labelled(QCoreApplication.translate("opp", self.NOTE_LABELS[part.key]), self.notes)
        )
        self.form.addStretch(1)
        self._pupil: dict[str, Any] = {}
        self._na_value = ""

    def _load(self, data: svc.OppVersionData, pupil: dict[str, Any]) -> None:
        text = getattr(data, self.NOTES[self.part.key])
        reason = svc.not_applicable_reason(text) if self.na else None
        if self.na is not None:
            self.na.set_state(reason)
        self.notes.setMarkdown("" if reason is not None else text)
        self.notes.setEnabled(reason is None)
        frozen = data.is_frozen and data.frozen_pupil is not None
        if frozen:
            self.source_label.setText(
                self.tr(
                    "Zoals vastgelegd bij het vaststellen op %s; latere wijzigingen in het "
                    "leerlingdossier staan hier niet in."
                )
                % long_date(data.fixed_on)
            )
        else:
            self.source_label.setText(
                self.tr(
                    "Uit het leerlingdossier. Aanvullen kan hier met de links; de gegevens "
                    "worden bij het vaststellen vastgelegd in deze versie."
                )
            )
        self.refresh_pupil(pupil)

    def collect(self, data: svc.OppVersionData) -> None:
        """Notes (or the "niet van toepassing" reason) of this part."""
        name = self.NOTES[self.part.key]
        if self.na is not None and self.na.is_checked():
            setattr(data, name, svc.mark_not_applicable(self.na.reason.text()))
        else:
            setattr(data, name, self.notes.markdown())

    @Slot(bool)
    def _on_na_toggled(self, on: bool) -> None:
        self.notes.setEnabled(not on and not self.read_only)

    def set_read_only(self, read_only: bool) -> None:
        """Also drop the edit links from the summary."""
        super().set_read_only(read_only)
        if self._pupil:
            self.refresh_pupil(self._pupil)

    def _links(self) -> bool:
        return bool(self.env and self.env.pupil_file_editable and not self.read_only)

    def _link(self, href: str, text: str) -> str:
        if not self._links():
            return ""
        return f" <a href='{href}'>{esc(text)}</a>"

    def refresh_pupil(self, pupil: dict[str, Any]) -> None:
        """Render what the pupil file says for this part."""
        self._pupil = pupil
        builder = {
            "algemeen": self._general_html,
            "schoolloopbaan": self._career_html,
            "onderzoek": self._assessments_html,
        }
        self.summary.setText(builder[self.part.key](pupil))

    @staticmethod
    def _table(headers: list[str], rows: list[list[str]]) -> str:
        head = "".join(
            f"<th align='left' style='padding: 2px 14px 2px 0'>{esc(h)}</th>" for h in headers
        )
        body = "".join(
            "<tr>"
            + "".join(f"<td style='padding: 2px 14px 2px 0' valign='top'>{c}</td>" for c in r)
            + "</tr>"
            for r in rows
        )
        return f"<table cellspacing='0'><tr>{head}</tr>{body}</table>"

    def _general_html(self, pupil: dict[str, Any]) -> str:
        p = pupil.get("pupil", {})
        parts = [
            f"<p><b>{esc(p.get('full_name'))}</b>, {self.tr('geboren')} "
            f"{esc(long_iso_date(p.get('birth_date')))} &middot; "
            f"{self.tr('groep')} {esc(p.get('group'))}"
            f" &middot; {esc(p.get('school'))}</p>"
        ]
        guardians = pupil.get("guardians", [])
        parts.append(
            f"<p><b>{self.tr('Ouders/verzorgers')}</b>"
            f"{self._link('guardian:new', self.tr('toevoegen…'))}</p>"
        )
        if guardians:
            rows = [
                [
                    esc(g["name"]) + self._link(f"guardian:{g['id']}", self.tr("wijzigen…")),
                    esc(g.get("relation")),
                    self.tr("ja")
                    if g.get("has_custody")
                    else f"<span style='color:#b45309'>{self.tr('nee')}</span>",
                    esc(g.get("phone")),
                    esc(g.get("email")),
                ]
                for g in guardians
            ]
            parts.append(
                self._table(
                    [
                        self.tr("Naam"),
                        self.tr("Relatie"),
                        self.tr("Gezag"),
                        self.tr("Telefoon"),
                        self.tr("E-mail"),
                    ],
                    rows,
                )
            )
        else:
            parts.append(f"<p><i>{self.tr('Geen ouders/verzorgers vastgelegd.')}</i></p>")
        family = p.get("family_composition") or ""
        parts.append(
            f"<p style='margin-top:12px'><b>{self.tr('Gezinssamenstelling')}</b>"
            f"{self._link('pupil:open', self.tr('in het leerlingdossier wijzigen…'))}<br>"
            + (esc(family) if family.strip() else f"<i>{self.tr('Niet beschreven.')}</i>")
            + "</p>"
        )
        care = pupil.get("care_providers", [])
        parts.append(
            f"<p><b>{self.tr('Hulpverlening (bij leerling, school en gezin)')}</b>"
            f"{self._link('care:new', self.tr('toevoegen…'))}</p>"
        )
        if care:
            rows = [
                [
                    esc(c.get("organisation")),
                    esc(c.get("kind")),
                    esc(care_scope_phrase(c.get("scope"))),
                    esc(c.get("contact_name")),
                    esc(long_iso_date(c.get("start_date"))),
                ]
                for c in care
            ]
            parts.append(
                self._table(
                    [
                        self.tr("Organisatie"),
                        self.tr("Soort"),
                        self.tr("Rond"),
                        self.tr("Contactpersoon"),
                        self.tr("Sinds"),
                    ],
                    rows,
                )
            )
        else:
            parts.append(f"<p><i>{self.tr('Geen hulpverlening vastgelegd.')}</i></p>")
        return "".join(parts)

    def _career_html(self, pupil: dict[str, Any]) -> str:
        p = pupil.get("pupil", {})
        first = long_iso_date(p.get("first_school_day"))
        parts = [
            f"<p><b>{self.tr('Eerste schooldag')}:</b> "
            + (esc(first) if first else f"<i>{self.tr('onbekend')}</i>")
            + self._link("pupil:open", self.tr("in het leerlingdossier wijzigen…"))
            + "</p>",
            f"<p><b>{self.tr('Scholen en voorschoolse periode')}</b>"
            f"{self._link('history:new', self.tr('toevoegen…'))}</p>",
        ]
        history = pupil.get("school_history", [])
        if history:
            rows = [
                [
                    esc(h.get("institution")),
                    esc(h.get("kind")),
                    esc(long_iso_date(h.get("start_date")))
                    or f"<span style='color:#b45309'>{self.tr('begindatum ontbreekt')}</span>",
                    esc(long_iso_date(h.get("end_date"))),
                    esc(h.get("notes")),
                ]
                for h in history
            ]
            parts.append(
                self._table(
                    [
                        self.tr("School of voorziening"),
                        self.tr("Soort"),
                        self.tr("Van"),
                        self.tr("Tot"),
                        self.tr("Opmerking"),
                    ],
                    rows,
                )
            )
        else:
            parts.append(
                "<p><i>"
                + self.tr("Geen eerdere scholen of voorschoolse voorzieningen vastgelegd.")
                + "</i></p>"
            )
        return "".join(parts)

    def _assessments_html(self, pupil: dict[str, Any]) -> str:
        parts = [
            f"<p><b>{self.tr('Onderzoeken')}</b>"
            f"{self._link('assessment:new', self.tr('toevoegen…'))}</p>"
        ]
        from ib_desktop.services.snapshot import restricted_snapshot
        from ib_desktop.ui.widgets.view_logging import account_role

        # Issue 19: a teacher sees that a sensitive report exists, not what it says.
        role = account_role(self.env.ctx) if self.env is not None else None
        assessments = restricted_snapshot(pupil, role).get("assessments", [])
        hidden = f"<i>{self.tr('vertrouwelijk - alleen voor IB en directie')}</i>"
        if assessments:
            rows = [
                [
                    esc(long_iso_date(a.get("date"))),
                    esc(a.get("kind"))
                    + (f" <i>({self.tr('vertrouwelijk')})</i>" if a.get("sensitive") else ""),
                    ""
                    if a.get("restricted")
                    else esc(a.get("performed_by"))
                    or f"<span style='color:#b45309'>{self.tr('onbekend')}</span>",
                    hidden
                    if a.get("restricted")
                    else esc(a.get("conclusion"))
                    or f"<span style='color:#b45309'>{self.tr('geen conclusie')}</span>",
                ]
                for a in assessments
            ]
            parts.append(
                self._table(
                    [self.tr("Datum"), self.tr("Onderzoek"), self.tr("Door"), self.tr("Conclusie")],
                    rows,
                )
            )
        else:
            parts.append(f"<p><i>{self.tr('Geen onderzoeken vastgelegd.')}</i></p>")
        return "".join(parts)

    @Slot(str)
    def _on_link(self, href: str) -> None:
        if self.env is None or not self._links():
            return
        kind, _, ident = href.partition(":")
        if kind == "pupil":
            self.env.nav.open_pupil(self.env.pupil_id)
            return
        from ib_desktop.ui.pupil_file import child_dialogs

        dialog = getattr(child_dialogs, self.DIALOGS.get(kind, ""), None)
        if dialog is None:
            # The pupil file has every field; open it when the dialog is not available here.
            self.env.nav.open_pupil(self.env.pupil_id)
            return
        record_id = None if ident == "new" else int(ident)
        if dialog.edit(self, self.env.ctx, self.env.pupil_id, record_id) is not None:
            self.pupilFileChanged.emit()
