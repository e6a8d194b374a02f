"""Agreement between coders: pure statistics (percentage, Cohen's kappa, Krippendorff's alpha)."""

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Share of units on which two coders gave the same value (None when there are no units)."""
    if len(a) != len(b):
        raise ValueError("Both coders must rate the same units.")
    if not a:
        return None
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa for two coders over the same units (nominal values).

    Returns None with no units; 1.0 when both coders used one and the same value throughout
    (chance agreement is then 1 and kappa is undefined; perfect agreement is the honest reading).
    """
    if len(a) != len(b):
        raise ValueError("Both coders must rate the same units.")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else 0.0
    return (observed - expected) / (1 - expected)


def krippendorff_alpha_nominal(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data; each unit lists one value per coder, None = missing.

    Units with fewer than two values are not pairable and are dropped (Krippendorff 2011).
    Returns None when fewer than two pairable values exist; 1.0 when there is no variation.
    """
    coincidence: Counter = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                coincidence[(c, k)] += pairs / (m - 1)
    n_c: Counter = Counter()
    for (c, _k), v in coincidence.items():
        n_c[c] += v
    n = sum(n_c.values())
    if n <= 1:
        return None
    observed = sum(v for (c, k), v in coincidence.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k) / (n - 1)
    if expected == 0:
        return 1.0
    return 1 - observed / expected


@dataclass
class Figures:
    """Agreement for one theme (or overall) over the units both/all coders rated."""

    label: str
    units: int
    percent: float | None
    kappa: float | None
    alpha: float | None
    positives: int  # units where at least one coder applied the theme


def agreement_figures(label: str, ratings: dict[str, dict[Hashable, bool | None]]) -> Figures:
    """Figures from ratings[coder][unit] = True/False (applied or not), None/absent = missing.

    Percentage and kappa are the mean over coder pairs of the units both rated; alpha uses all
    coders at once with missing data allowed.
    """
    coders = sorted(ratings)
    units = sorted({u for r in ratings.values() for u in r}, key=repr)
    matrix = [[ratings[c].get(u) for c in coders] for u in units]
    alpha = krippendorff_alpha_nominal(matrix)
    pcts, kappas = [], []
    for c1, c2 in combinations(coders, 2):
        common = [
            u for u in units if ratings[c1].get(u) is not None and ratings[c2].get(u) is not None
        ]
        a = [ratings[c1][u] for u in common]
        b = [ratings[c2][u] for u in common]
        if common:
            pcts.append(percent_agreement(a, b))
            kappas.append(cohen_kappa(a, b))
    rated = [row for row in matrix if sum(v is not None for v in row) >= 2]
    return Figures(
        label=label,
        units=len(rated),
        percent=sum(pcts) / len(pcts) if pcts else None,
        kappa=sum(kappas) / len(kappas) if kappas else None,
        alpha=alpha,
        positives=sum(1 for row in rated if any(v for v in row)),
    )


@dataclass
class MachineFigures:
    label: str
    passages: int  # passages a person has coded or reviewed: the base of every figure
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float | None:
        d = self.true_positives + self.false_positives
        return self.true_positives / d if d else None

    @property
    def recall(self) -> float | None:
        d = self.true_positives + self.false_negatives
        return self.true_positives / d if d else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)


def machine_vs_human(label: str, units: set, suggested: set, accepted: set) -> MachineFigures:
    """Compare (unit, theme) pairs the machine suggested with those people accepted, on `units`."""
    s = {x for x in suggested if x[0] in units}
    h = {x for x in accepted if x[0] in units}
    return MachineFigures(label, len(units), len(s & h), len(s - h), len(h - s))
