"""Ranking within groups (khối) and classification."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from decimal import Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

RANK_METHODS = ("standard", "dense")


def rank_within_group(
    entries: Iterable[tuple[K, str, Decimal | None]], method: str = "standard"
) -> dict[K, int | None]:
    """Rank ``(key, group, value)`` entries, higher value first, separately in each group.

    ``standard`` competition ranking gives ties the same rank and skips after them
    (1, 2, 2, 4); ``dense`` does not skip (1, 2, 2, 3). Entries without a value get ``None``.
    The result does not depend on the order of ``entries``.
    """
    if method not in RANK_METHODS:
        raise ValueError(f"cách xếp hạng '{method}' không có; dùng: {', '.join(RANK_METHODS)}")
    groups: dict[str, list[tuple[K, Decimal]]] = {}
    ranks: dict[K, int | None] = {}
    for key, group, value in entries:
        if value is None:
            ranks[key] = None
        else:
            groups.setdefault(group, []).append((key, value))
    for members in groups.values():
        members.sort(key=lambda kv: kv[1], reverse=True)
        rank = 0
        distinct = 0
        previous: Decimal | None = None
        for position, (key, value) in enumerate(members, start=1):
            if value != previous:
                distinct += 1
                rank = position if method == "standard" else distinct
                previous = value
            ranks[key] = rank
    return ranks
