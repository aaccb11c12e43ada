"""The school's meetings (issue 20): planned from its rhythm, an agenda of pupils proposed from
what is due, attendees, minutes and decisions per pupil that change a level or set a task.

:mod:`.planning` plans the year, :mod:`.agenda` proposes and keeps the pupils to discuss,
:mod:`.minutes` records who came, what was said and what was decided.
"""
