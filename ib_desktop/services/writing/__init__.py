"""Writing faster: the goal bank, the text blocks and their placeholders (issue 21).

The goal bank and the text blocks are the school's own lists, seeded once from the shipped
starter sets (``resources/goal_bank.json``, ``resources/text_blocks.json``) and edited in the
settings. :mod:`.placeholders` fills {roepnaam}, {groep}, ... for one pupil.
"""

from .lists import (
    BankGoal,
    TextBlockData,
    ensure_seeded,
    load_goal_bank,
    load_text_blocks,
    save_goal_bank,
    save_text_blocks,
    search_goals,
)
from .placeholders import (
    PLACEHOLDERS,
    Filled,
    fill_placeholders,
    pupil_grades,
    pupil_values,
)
from .reuse import GrowthGoals, copy_intervention, running_growth_goals

__all__ = [
    "PLACEHOLDERS",
    "BankGoal",
    "GrowthGoals",
    "Filled",
    "TextBlockData",
    "copy_intervention",
    "ensure_seeded",
    "fill_placeholders",
    "load_goal_bank",
    "load_text_blocks",
    "pupil_grades",
    "pupil_values",
    "running_growth_goals",
    "save_goal_bank",
    "save_text_blocks",
    "search_goals",
]
