"""The scoring engine: results, ranking, classes, lost points and traces."""

from .ranking import rank_within_group
from .results import AreaResult, Finding, LostPoints, Results, UnitResult
from .scoring import compute, score_leaf

__all__ = [
    "AreaResult",
    "Finding",
    "LostPoints",
    "Results",
    "UnitResult",
    "compute",
    "rank_within_group",
    "score_leaf",
]
