"""parindex.core — the pure scoring core: no Django, no database, no I/O but reading YAML.

Data in, results plus a trace out. The public names are listed in ``__all__``.
"""

from .checks import PublishedRow, check_published, parse_published
from .decimals import format_vn, parse_decimal, quantize
from .engine import (
    AreaResult,
    Finding,
    LostPoints,
    Results,
    UnitResult,
    compute,
    rank_within_group,
    score_leaf,
)
from .engine.trace import TraceNode, explain, format_trace
from .errors import FormulaError, InputError, Issue, IssuesError, MethodologyError, ParindexError
from .inputs import Inputs, parse_inputs, parse_value
from .methodology import (
    FORMAT,
    UNIT_TYPES,
    ClassBand,
    InputSpec,
    Methodology,
    Node,
    Option,
    Rounding,
    Rule,
    load_methodology,
    loads_methodology,
)
from .units import Unit, exempted_by, node_applies, parse_units, unit_type

__all__ = [
    "FORMAT",
    "UNIT_TYPES",
    "AreaResult",
    "ClassBand",
    "Finding",
    "FormulaError",
    "InputError",
    "InputSpec",
    "Inputs",
    "Issue",
    "IssuesError",
    "LostPoints",
    "Methodology",
    "MethodologyError",
    "Node",
    "Option",
    "ParindexError",
    "PublishedRow",
    "Results",
    "Rounding",
    "Rule",
    "TraceNode",
    "Unit",
    "UnitResult",
    "check_published",
    "compute",
    "exempted_by",
    "explain",
    "format_trace",
    "format_vn",
    "load_methodology",
    "loads_methodology",
    "node_applies",
    "parse_decimal",
    "parse_inputs",
    "parse_published",
    "parse_units",
    "parse_value",
    "quantize",
    "rank_within_group",
    "score_leaf",
    "unit_type",
]
