"""Student's t quantile for real (non-integer) degrees of freedom, in floats.

Survey intervals use Kish's effective sample size, so the degrees of freedom are rarely whole
numbers; :mod:`statistics` has the normal distribution only.
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

__all__ = ["t_quantile"]

_NORMAL = NormalDist()
_SERIES_DF = 1000.0  # from here the expansion in 1/df is exact to float precision


@lru_cache(maxsize=4096)  # units of equal size share their df
def t_quantile(p: float, df: float) -> float:
    """The t with P(T ≤ t) = p for Student's T with ``df`` > 0 (real) degrees of freedom.

    Below 1000 df: solves P(T > t) = ½·I_x(df/2, ½) = tail, x = df/(df + t²), by Newton steps
    kept inside a bisection bracket; I is the regularized incomplete beta by its continued
    fraction (modified Lentz). Working on the tail min(p, 1−p) keeps precision near 0 and 1.
    From 1000 df: the Cornish–Fisher expansion about the normal quantile to 1/df⁴
    (Abramowitz & Stegun 26.7.5).
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"xác suất phải nằm giữa 0 và 1, không phải {p!r}")
    if not df > 0.0:
        raise ValueError(f"số bậc tự do phải lớn hơn 0, không phải {df!r}")
    if p == 0.5:
        return 0.0
    sign, tail = (1.0, 1.0 - p) if p > 0.5 else (-1.0, p)
    if df >= _SERIES_DF:
        return sign * _t_series(tail, df)
    return sign * _t_solve(tail, df)


def _t_series(tail: float, df: float) -> float:
    z = -_NORMAL.inv_cdf(tail)
    z2 = z * z
    g1 = (z2 + 1.0) * z / 4.0
    g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0
    g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0
    g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0
    return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df


def _t_tail(t: float, df: float) -> float:
    """P(T > t) for t ≥ 0."""
    t2 = t * t
    return 0.5 * _beta_regularized(df / 2.0, 0.5, df / (df + t2), t2 / (df + t2))


def _t_solve(tail: float, df: float) -> float:
    """Newton steps from the series' estimate, kept inside the bracket they narrow."""
    log_c = math.lgamma((df + 1.0) / 2.0) - math.lgamma(df / 2.0) - 0.5 * math.log(df * math.pi)
    lo, hi = 0.0, math.inf
    t = _t_series(tail, df)
    if not 0.0 < t < 1e150:  # the series is no guide below ~1 df
        t = 1.0
    for _ in range(1000):
        if t > 1e150:  # t² would overflow; only df far below 1 gets here
            return math.inf
        excess = _t_tail(t, df) - tail
        if excess > 0.0:
            lo = t
        else:
            hi = t
        density = math.exp(log_c - (df + 1.0) / 2.0 * math.log1p(t * t / df))
        step = excess / density if density > 0.0 else math.inf
        if abs(step) <= 1e-12 * t:  # the next error ~ step², below the float noise
            return t + step
        t += step
        if not lo < t < hi:
            t = 2.0 * lo if hi == math.inf else (lo + hi) / 2.0
    return t  # pragma: no cover - Newton inside a bracket converges well before


def _beta_regularized(a: float, b: float, x: float, y: float) -> float:
    """I_x(a, b), y = 1 − x given separately so that x near 1 keeps its precision."""
    if x <= 0.0 or y <= 0.0:
        return 0.0 if x <= 0.0 else 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, y) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of I_x(a, b) by the modified Lentz method (Numerical Recipes 6.4)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1.0) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1.0)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 4e-16:
            return h
    raise ArithmeticError("incomplete beta did not converge")  # pragma: no cover
