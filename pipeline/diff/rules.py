"""Which direction is worse for the customer: availability ranks, response times, and facts.

Directions by fact kind (the *default* in brackets, overridden by words around the number):

- ``money``    [higher is worse: a fee, a price]; higher is better near credit/refund/discount/cap.
- ``duration`` [longer is worse: a response, notification, review or delivery time]; longer is
  better near retention/keep/reopen/"up to"/free/trial/grace/"available for" (a period the
  customer enjoys).
- ``percent``  [higher is better: uptime, availability, a service credit]; higher is worse near
  fee/price/surcharge/increase/penalty/threshold.
- ``count``    [higher is better: a limit on items, members, seats]; higher is worse near
  minimum/"at least"/required/threshold (an eligibility bar).
- ``storage``  [higher is better: a quota].
- ``time_range`` a longer span (opening hours) is better; ``time_of_day`` and ``number`` have no
  customer direction: a change is ``major`` (time of day) or ``minor`` (bare number).
"""

from __future__ import annotations

import re

from pipeline.diff.model import ChangeSeverity
from pipeline.diff.text import norm_text, strip_accents
from pipeline.normalize.model import Availability, Fact, FactKind

#: Higher = more for the customer. ``unknown`` has no rank (a change to/from it is minor).
AVAILABILITY_RANK: dict[Availability, int] = {
    Availability.included: 4,
    Availability.included_conditional: 3,
    Availability.additional: 2,
    Availability.additional_limited: 1,
    Availability.not_available: 0,
}


def availability_severity(old: Availability | None, new: Availability | None) -> ChangeSeverity:
    """included -> additional/not_available is breaking; the reverse major; unknown involved minor.

    ``None`` means the plan/offer is absent from that edition's table.
    """
    if old is None:
        return (
            ChangeSeverity.major
            if new in AVAILABILITY_RANK and AVAILABILITY_RANK[new] > 0
            else ChangeSeverity.minor
        )
    if new is None:
        return (
            ChangeSeverity.breaking
            if old in AVAILABILITY_RANK and AVAILABILITY_RANK[old] > 0
            else ChangeSeverity.minor
        )
    if old not in AVAILABILITY_RANK or new not in AVAILABILITY_RANK:
        return ChangeSeverity.minor
    return (
        ChangeSeverity.breaking if AVAILABILITY_RANK[new] < AVAILABILITY_RANK[old] else ChangeSeverity.major
    )


def response_severity(
    old_minutes: int | None, new_minutes: int | None, old_business: bool, new_business: bool
) -> ChangeSeverity | None:
    """Longer first response (or a commitment dropped) is breaking; shorter (or one added) major."""
    if old_minutes != new_minutes:
        if old_minutes is None:
            return ChangeSeverity.major
        if new_minutes is None:
            return ChangeSeverity.breaking
        return ChangeSeverity.breaking if new_minutes > old_minutes else ChangeSeverity.major
    if old_business != new_business:
        # business-hours-only coverage is less than round-the-clock
        return ChangeSeverity.breaking if new_business else ChangeSeverity.major
    return None


def _words(context: str, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.search(strip_accents(norm_text(context).casefold())))


_MONEY_BETTER = re.compile(r"\b(credit|refund|discount|rebate|cap|compensation|avoir|remboursement|remise)")
_DURATION_WORSE = re.compile(
    r"\b(respon|resolv|within|notif|review|deliver|acknowledg|wait|delay|latenc|restor|recover|rto|rpo|"
    r"reponse|delai|dans les|sous|notification|examen|traitement|process)"
)
_DURATION_BETTER = re.compile(
    r"\b(retain|retention|kept|keep|reopen|up to|free|trial|grace|available for|period|valid|"
    r"conserv|jusqu|gratuit|essai|periode|rouvert|disponible pendant)"
)
_PERCENT_WORSE = re.compile(
    r"\b(fee|price|pricing|surcharge|increase|penalt|threshold|frais|prix|majoration|penalit|seuil)"
)
_COUNT_WORSE = re.compile(
    r"\b(minimum|at least|require|threshold|or more|au moins|requis|exige|seuil|ou plus)"
)


def higher_is_worse(kind: FactKind, context: str) -> bool | None:
    """True/False for a customer direction, None when the kind has none."""
    if kind is FactKind.money:
        return not _words(context, _MONEY_BETTER)
    if kind is FactKind.duration:
        worse, better = _words(context, _DURATION_WORSE), _words(context, _DURATION_BETTER)
        return not (better and not worse)
    if kind is FactKind.percent:
        return _words(context, _PERCENT_WORSE)
    if kind is FactKind.count:
        return _words(context, _COUNT_WORSE)
    if kind is FactKind.storage:
        return False
    if kind is FactKind.time_range:
        return False  # compared on span length
    return None


def fact_magnitude(f: Fact) -> float:
    if f.kind is FactKind.time_range and f.value_max is not None:
        span = f.value_max - f.value
        return span if span >= 0 else span + 1440
    if f.value_max is not None:
        return (f.value + f.value_max) / 2
    return f.value


def fact_values_differ(old: Fact, new: Fact) -> bool:
    return (
        abs(old.value - new.value) > 1e-9
        or (old.value_max or 0) != (new.value_max or 0)
        or old.unit != new.unit
        or old.business != new.business
    )


def fact_severity(old: Fact, new: Fact, context: str) -> ChangeSeverity:
    if old.unit != new.unit or old.business != new.business:
        if old.kind is FactKind.duration and old.unit == new.unit and old.value == new.value:
            # same number, business <-> calendar: business days are slower to elapse
            worse = higher_is_worse(old.kind, context)
            return ChangeSeverity.breaking if (new.business == bool(worse)) else ChangeSeverity.major
        return ChangeSeverity.major
    direction = higher_is_worse(old.kind, context)
    if direction is None:
        return ChangeSeverity.major if old.kind is FactKind.time_of_day else ChangeSeverity.minor
    higher = fact_magnitude(new) > fact_magnitude(old)
    if fact_magnitude(new) == fact_magnitude(old):
        return ChangeSeverity.major
    return ChangeSeverity.breaking if higher == direction else ChangeSeverity.major


def format_minutes(minutes: int | None, business: bool = False) -> str:
    if minutes is None:
        return "no commitment"
    if minutes and minutes % 1440 == 0:
        text = f"{minutes // 1440} d"
    elif minutes and minutes % 60 == 0:
        text = f"{minutes // 60} h"
    else:
        text = f"{minutes} min"
    return text + (" (business hours)" if business else "")
