"""Decimal helpers: exact parsing, methodology rounding, Vietnamese display."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
# "9.097": 9097 the Vietnamese way, 9.097 the English way. Refused rather than guessed.
_DOTTED_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$")
HUNDRED = Decimal(100)
# No count, ratio or score in an index comes near 10^15 (see too_large); bigger values are
# typing mistakes, or attempts to make traces print a million digits.
MAX_DECIMALS = 10  # finer than any score or ratio needs; more is a mistake or an attack


def too_large(value: Decimal) -> bool:
    """|value| ≥ 10^15, decided from the exponent alone (abs() of 1E+999999999 overflows)."""
    return value.adjusted() >= 15


def decimals_of(value: Decimal) -> int:
    """Digits after the decimal point that carry value: 0.50 → 1, 12 → 0."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -exponent - trailing_zeros)  # no normalize(): it overflows on 1E+999999999


ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}

_QUANTS = {n: Decimal(1).scaleb(-n) for n in range(0, 7)}


def quantize(value: Decimal, decimals: int, mode: str = "half_up") -> Decimal:
    """Round ``value`` to ``decimals`` places the way the methodology says."""
    return value.quantize(_QUANTS[decimals], rounding=ROUNDING_MODES[mode])


def parse_decimal(text: object) -> Decimal:
    """Parse a number written by a person: ``0,5``, ``0.5``, ``1 234,5``, ``95%`` are accepted.

    Raises ``ValueError`` with a Vietnamese message when the text is not a finite number.
    """
    if isinstance(text, bool):
        raise ValueError("giá trị có/không không phải là số")
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(repr(text))
    else:
        raw = str(text).strip().replace("\u00a0", "").replace(" ", "")
        raw = raw.removesuffix("%")
        if _DOTTED_THOUSANDS.match(raw):
            raise ValueError(
                f"'{text}' không rõ là số nguyên có dấu chấm phân cách hàng nghìn hay số thập "
                "phân: viết không có dấu phân cách (9097) hoặc dùng dấu phẩy thập phân (9,097)"
            )
        if raw.count(",") == 1 and "." not in raw:
            raw = raw.replace(",", ".")
        elif "," in raw and "." in raw:
            # "1.234,5" (Vietnamese) or "1,234.5" (English): the last separator is the decimal one.
            if raw.rfind(",") > raw.rfind("."):
                raw = raw.replace(".", "").replace(",", ".")
            else:
                raw = raw.replace(",", "")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValueError(f"'{text}' không phải là số") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' không phải là số hữu hạn")
    if too_large(value):
        raise ValueError(f"'{text}' quá lớn (giới hạn dưới 10^15)")
    if decimals_of(value) > MAX_DECIMALS:
        raise ValueError(f"'{text}' có quá {MAX_DECIMALS} chữ số thập phân")
    return value


def format_vn(value: Decimal, decimals: int | None = None) -> str:
    """Vietnamese display with a decimal comma and dot thousands: ``1.234,5``; ``59,2703``."""
    if decimals is not None:
        value = quantize(value, decimals)
    sign = "-" if value < 0 else ""
    text = f"{abs(value):f}"
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    return f"{sign}{out},{frac}" if frac else f"{sign}{out}"


def plain(value: Decimal, decimals: int) -> str:
    """Machine form with a fixed number of decimals: ``"59.27"`` (JSON, CSV)."""
    return f"{quantize(value, decimals):f}"
