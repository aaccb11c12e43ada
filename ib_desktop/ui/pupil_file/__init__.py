"""The pupil file (leerlingdossier) and the dialogs around it.

``shell`` is the window; its parts live in ``header``, ``personal_tab``, ``records_tabs``,
``levels_tab``, ``lifecycle`` and ``printing``, the record tables in ``record_table`` and
``columns``. The dialogs: ``record_dialog`` (their base) and ``child_dialogs`` for the records
(guardian, care, school career, assessment, meeting), ``lifecycle_dialogs`` (new pupil, leaving,
deleting), ``level_dialog`` (op-/afschalen) and ``history_dialog`` (a document's change log).
``level_timeline`` draws the levels over the school years; ``form_helpers`` holds what they share.
"""
