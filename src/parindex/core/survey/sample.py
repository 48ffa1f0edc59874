"""Sample size: how many answers a unit of N people needs for a margin of error, and whether
the answers received reach it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..decimals import HUNDRED, format_vn, quantize

__all__ = ["DEFAULT_MARGIN", "SampleCheck", "check_sample", "required_sample_size"]

Number = float | Decimal  # margins: Decimal from YAML, float from code
DEFAULT_MARGIN = Decimal("0.05")


def _decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def required_sample_size(population: int | None, margin: Number = DEFAULT_MARGIN) -> int | None:
    """n = N / (1 + N·e²) (Slovin/Yamane, as the 2012 SIPAS method), rounded up, computed
    exactly (400 people at e = 5 % need 200, not 201). ``None`` when N is unknown or 0."""
    e = Fraction(_decimal(margin))
    if not 0 < e < 1:
        raise ValueError(f"sai số phải nằm giữa 0 và 1 (0,05 là 5 %), không phải {margin!r}")
    if population is not None and population < 0:
        raise ValueError(f"quy mô tổng thể không được âm: {population}")
    if not population:
        return None
    return math.ceil(population / (1 + population * e * e))


@dataclass(frozen=True, slots=True)
class SampleCheck:
    """Achieved sample against the required one. ``enough`` is ``None`` when N is unknown or 0;
    ``margin`` is the margin achieved, e = √(1/n − 1/N) in per cent (Yamane solved for e)."""

    achieved: int
    population: int | None
    required: int | None
    enough: bool | None
    margin: Decimal | None
    warning: str | None


def check_sample(
    achieved: int, population: int | None, margin: Number = DEFAULT_MARGIN, decimals: int = 2
) -> SampleCheck:
    """Say whether ``achieved`` answers reach the sample a unit of ``population`` needs; the
    warning (Vietnamese, for the user) says when a unit's sample is too small to rank it."""
    if achieved < 0:
        raise ValueError(f"số phiếu không được âm: {achieved}")
    required = required_sample_size(population, margin)
    enough = None if required is None else achieved >= required
    achieved_margin = None
    if population and achieved:
        e = math.sqrt(max(0.0, 1.0 / achieved - 1.0 / population))
        achieved_margin = quantize(Decimal(repr(e)) * HUNDRED, decimals)
    warning = None
    if not achieved:
        warning = "Không có phiếu khảo sát nào: không tính được chỉ số, không xếp hạng."
    elif enough is False:
        target = format_vn((_decimal(margin) * HUNDRED).normalize())
        warning = (
            f"Mẫu khảo sát có {achieved} phiếu, cần ít nhất {required} phiếu "
            f"(N = {population}, sai số {target} %): mẫu quá nhỏ để xếp hạng."
        )
    return SampleCheck(achieved, population, required, enough, achieved_margin, warning)
