"""Agenda arithmetic: sharing a meeting's length among its entries."""

SECTION_WEIGHTS = {"followup": 2.0, "coordination": 3.0, "red": 2.0, "yellow": 1.0,
                   "indicators": 1.0, "deadlines": 1.0, "free": 1.5}
SECTIONS = tuple(SECTION_WEIGHTS)


def allocate_minutes(weights: list[float], total: int, fixed: list[int | None]) -> list[int]:
    """Whole minutes per entry summing to `total`: fixed entries keep theirs, the rest share
    what is left in proportion to their weights (largest remainders get the spare minutes).
    When fixed entries already exceed `total`, the others get 0."""
    if len(weights) != len(fixed):
        raise ValueError("weights and fixed must have the same length")
    left = max(0, total - sum(f for f in fixed if f is not None))
    free = [i for i, f in enumerate(fixed) if f is None]
    weight_sum = sum(weights[i] for i in free)
    result = [f if f is not None else 0 for f in fixed]
    if not free or weight_sum <= 0:
        return result
    shares = {i: left * weights[i] / weight_sum for i in free}
    for i in free:
        result[i] = int(shares[i])
    spare = left - sum(result[i] for i in free)
    for i in sorted(free, key=lambda i: (-(shares[i] - int(shares[i])), i))[:spare]:
        result[i] += 1
    return result
