"""Surveys (điều tra xã hội học): instruments, responses, indices.

Pipeline: an :class:`Instrument` is data (YAML, docs/survey-format.md): questions, answer
scales, the satisfaction rule, weighted groups and the mapping of groups to ``survey`` leaves
of a methodology → :func:`read_responses` (or :class:`ResponseReader`, row by row) validates a
file's rows against it, all or nothing, into a compact :class:`ResponseSet` →
:func:`compute_indices` gives :class:`SurveyResults`: indices with intervals per question,
group, unit and province, sample checks, and the index of each ``survey`` leaf. No file is
read here but instruments; ``parindex.survey_io`` reads response files. Public names are
listed in ``__all__``.
"""

from ..errors import InstrumentError, ResponseError, SurveyError
from .headers import Column, HeaderMap, map_header
from .indices import OVERALL, SurveyResults, UnitIndices, compute_indices, index_value
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
from .response_set import ResponseSet, Tally
from .responses import ResponseReader, read_responses
from .sample import SampleCheck
from .stats import Estimate

__all__ = [
    "FORMAT",
    "GROUP_KINDS",
    "OVERALL",
    "QUESTION_TYPES",
    "SATISFACTION_METHODS",
    "AnswerOption",
    "Column",
    "Decision",
    "Estimate",
    "Group",
    "HeaderMap",
    "Instrument",
    "InstrumentError",
    "LeafMapping",
    "Question",
    "RespondentType",
    "ResponseError",
    "ResponseReader",
    "ResponseSet",
    "SampleCheck",
    "SatisfactionRule",
    "Scale",
    "SurveyError",
    "SurveyResults",
    "Tally",
    "UnitIndices",
    "check_mapping",
    "compute_indices",
    "index_value",
    "load_instrument",
    "load_shipped_instrument",
    "loads_instrument",
    "map_header",
    "read_responses",
    "shipped_instruments",
]
