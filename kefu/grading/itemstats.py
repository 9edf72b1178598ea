"""Item and test statistics as Moodle's quiz statistics report computes them.

For each question (item) over the N learners who were shown it:
- facility index F = mean mark / max mark;
- SD of the mark (sample, N-1), as a percentage of the max mark;
- discrimination index = correlation of the item mark with the rest of the test
  (the learner's total minus this item);
- discriminative efficiency = cov(item, rest) / the largest covariance those two sets
  of marks could have (both sorted), as a percentage.
For each quiz: mean, median, SD, skewness (k3 / k2^1.5), Cronbach's alpha (equal to
KR-20 when every item is marked 0/1), error ratio = sqrt(1 - alpha), standard error
= error ratio × SD. Reference: Moodle's question/classes/statistics/questions/calculator.php.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LOW_FACILITY, HIGH_FACILITY, LOW_DISCRIMINATION = 20.0, 95.0, 20.0  # percent


@dataclass
class ItemStats:
    question_id: str
    n: int
    max_mark: float
    facility: float | None  # percent
    sd: float | None  # percent of max mark
    discrimination: float | None  # percent (correlation × 100)
    efficiency: float | None  # percent
    flags: list[str]


@dataclass
class QuizStats:
    n: int
    max_score: float
    mean: float | None  # percent
    median: float | None  # percent
    sd: float | None  # percent
    skewness: float | None
    alpha: float | None  # percent, Cronbach's alpha = KR-20 for 0/1 items
    error_ratio: float | None  # percent
    standard_error: float | None  # percent


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """Sum of products, by numpy's own pairwise sum rather than BLAS (``a @ b``): for long vectors
    OpenBLAS wakes its threads for each product, which took up to 10 ms a product on a busy 2-core
    machine (most of the statistics time of a large run) and made the result depend on the thread count."""
    return float((a * b).sum())


def item_stats(question_id: str, marks: np.ndarray, totals: np.ndarray, max_mark: float) -> ItemStats:
    """``marks``: this item's marks; ``totals``: the same learners' total scores."""
    n = len(marks)
    facility = sd = discrimination = efficiency = None
    if n and max_mark:
        facility = 100 * float(marks.mean()) / max_mark
    if n > 1:
        rest = totals - marks
        dm, dr = marks - marks.mean(), rest - rest.mean()
        var_m, var_r = _dot(dm, dm) / (n - 1), _dot(dr, dr) / (n - 1)
        cov = _dot(dm, dr) / (n - 1)
        cov_max = _dot(np.sort(marks) - marks.mean(), np.sort(rest) - rest.mean()) / (n - 1)
        sd = 100 * math.sqrt(var_m) / max_mark if max_mark else None
        if var_m * var_r > 0:
            discrimination = 100 * cov / math.sqrt(var_m * var_r)
        if cov_max:
            efficiency = 100 * cov / cov_max
    flags = []
    if facility is not None and facility < LOW_FACILITY:
        flags.append(f"过难：得分率 {facility:.0f}%（低于 {LOW_FACILITY:.0f}%），检查答案是否有误、题意是否清楚")
    if facility is not None and facility > HIGH_FACILITY:
        flags.append(f"过易：得分率 {facility:.0f}%（高于 {HIGH_FACILITY:.0f}%），区分不出掌握程度")
    if discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append(f"区分度低：{discrimination / 100:.2f}（低于 0.2），总分高的人并不更常答对此题")
    return ItemStats(question_id, n, max_mark, _r(facility), _r(sd), _r(discrimination), _r(efficiency), flags)


def quiz_stats(matrix: np.ndarray, max_score: float) -> QuizStats:
    """``matrix``: learners × items marks (every learner shown every item)."""
    n, k = matrix.shape
    if n == 0 or not max_score:
        return QuizStats(n, max_score, None, None, None, None, None, None, None)
    totals = matrix.sum(axis=1)
    pct = 100 / max_score
    mean, median = float(totals.mean()), float(np.median(totals))
    sd = skew = alpha = error_ratio = standard_error = None
    if n > 1:
        d = totals - mean
        m2, m3 = _dot(d, d) / n, float((d ** 3).sum()) / n
        k2 = n * m2 / (n - 1)
        sd = math.sqrt(k2)
        if n > 2 and k2 > 0:
            k3 = n * n * m3 / ((n - 1) * (n - 2))
            skew = k3 / k2 ** 1.5
        if k > 1 and k2 > 0:
            item_var = float(matrix.var(axis=0, ddof=1).sum())
            alpha = k / (k - 1) * (1 - item_var / k2)
            if alpha <= 1:
                error_ratio = math.sqrt(max(0.0, 1 - alpha))
                standard_error = error_ratio * sd
    return QuizStats(
        n, max_score, _r(mean * pct), _r(median * pct), _r(sd * pct if sd is not None else None),
        _r(skew, 3), _r(alpha * 100 if alpha is not None else None),
        _r(error_ratio * 100 if error_ratio is not None else None),
        _r(standard_error * pct if standard_error is not None else None),
    )
