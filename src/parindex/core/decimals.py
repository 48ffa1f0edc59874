"""Decimal helpers: exact parsing, methodology rounding, Vietnamese display."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# No count, ratio or score in an index comes near this; bigger values are typing mistakes
# (or attempts to make traces print a million digits).
LARGEST = Decimal(10) ** 15
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
    if abs(value) >= LARGEST:
        raise ValueError(f"'{text}' quá lớn (giới hạn dưới 10^15)")
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
