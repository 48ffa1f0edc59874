"""Methodology (bộ tiêu chí): model, rules and the strict YAML loader."""

from .loader import FORMAT, load_methodology, loads_methodology
from .model import UNIT_TYPES, ClassBand, InputSpec, Methodology, Node, Option, Rounding
from .rules import Rule

__all__ = [
    "FORMAT",
    "UNIT_TYPES",
    "ClassBand",
    "InputSpec",
    "Methodology",
    "Node",
    "Option",
    "Rounding",
    "Rule",
    "load_methodology",
    "loads_methodology",
]
