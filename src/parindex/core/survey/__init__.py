"""Surveys (điều tra xã hội học): instruments now; responses and indices as they are added.

An :class:`Instrument` is data (YAML, docs/survey-format.md): questions, answer scales, the
satisfaction rule, weighted groups and the mapping of groups to ``survey`` leaves of a
methodology. Public names are listed in ``__all__``; add new stages (responses, indices)
as their own modules and list their names here.
"""

from ..errors import InstrumentError, SurveyError
from .instrument import (
    GROUP_KINDS,
    QUESTION_TYPES,
    SATISFACTION_METHODS,
    AnswerOption,
    Decision,
    Group,
    Instrument,
    LeafMapping,
    Question,
    RespondentType,
    SatisfactionRule,
    Scale,
)
from .loader import (
    FORMAT,
    load_instrument,
    load_shipped_instrument,
    loads_instrument,
    shipped_instruments,
)
from .mapping import check_mapping

__all__ = [
    # instruments (docs/survey-format.md)
    "FORMAT",
    "GROUP_KINDS",
    "QUESTION_TYPES",
    "SATISFACTION_METHODS",
    "AnswerOption",
    "Decision",
    "Group",
    "Instrument",
    "InstrumentError",
    "LeafMapping",
    "Question",
    "RespondentType",
    "SatisfactionRule",
    "Scale",
    "SurveyError",
    "check_mapping",
    "load_instrument",
    "load_shipped_instrument",
    "loads_instrument",
    "shipped_instruments",
]
