"""Rules and amounts in plain words, shared by every report so they all say the same thing."""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    """'1 credit', '2 credits': `word` is given in the plural."""
    return f"{n} {noun(n, word)}"


def noun(n: int, word: str) -> str:
    """The word alone, for `n` of it: 'credit' for 1, 'credits' otherwise (`word` in the
    plural, as `plural` takes it), where the number is said elsewhere or not at all."""
    return word[:-1] if n == 1 and word.endswith("s") else word


def unit_name(unit) -> str:
    """'unit 303' for a unit printed with a number, and for one whose id stands in for it
    (`Unit.label` is then the bare id, which reads as a stray number at a line's start)."""
    label = unit.label
    return label if label.startswith("unit ") else f"unit {label}"


def join_labels(labels: list[str]) -> str:
    """'Group B', 'Group C' -> 'Groups B and C'; 'unit 8', 'unit 9' -> 'units 8 and 9'."""
    for one, many in (("Group ", "Groups "), ("unit ", "units ")):
        if len(labels) > 1 and all(lbl.startswith(one) for lbl in labels):
            ids = [lbl[len(one) :] for lbl in labels]
            return many + ", ".join(ids[:-1]) + " and " + ids[-1]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def level_phrase(min_level: int | None, max_level: int | None) -> str:
    if min_level is not None and max_level is not None:
        if min_level == max_level:
            return f" at Level {min_level}"
        return f" at Levels {min_level}-{max_level}"
    if min_level is not None:
        return f" at Level {min_level} or above"
    if max_level is not None:
        return f" at Level {max_level} or below"
    return ""


def amount_phrase(measure: str, lo: int | None, hi: int | None) -> str:
    unit = "credits" if measure == "credits" else "units"
    if lo is not None and hi is not None:
        if lo == hi:
            return f"exactly {plural(lo, unit)}"
        return f"{lo}-{plural(hi, unit)}"
    if lo is not None:
        return f"at least {plural(lo, unit)}"
    assert hi is not None, "an amount rule has a min or a max"
    return f"at most {plural(hi, unit)}"


def describe_amount(measure, lo, hi, min_level, max_level, scope_labels, each) -> str:
    what = amount_phrase(measure, lo, hi) + level_phrase(min_level, max_level)
    if each:
        return f"{what} from each of {join_labels(scope_labels)}"
    if not scope_labels:
        return f"{what} in all"
    return f"{what} from {join_labels(scope_labels)}"


def did_you_mean(word: str, choices) -> str:
    """' (did you mean 'min_level'?)' for a near miss among `choices`, else ''."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    if not close:
        lowered = {str(c).lower(): str(c) for c in choices}
        close = [lowered[str(word).lower()]] if str(word).lower() in lowered else []
    return f" (did you mean {close[0]!r}?)" if close else ""
