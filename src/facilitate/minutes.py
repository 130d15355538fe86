"""One rounding rule for every minute the day talks about.

Lateness, slack, cuts, forecast clock times and over/under are all said in whole
minutes, each the nearest minute to the exact seconds (a half minute rounds away
from zero). Every line uses these, so one screen never reads "119 min" beside a
forecast of 13:19 against 11:20 in one place and "120 min late" in another, and a
fixed time is "met" exactly when its lateness rounds to no minutes at all.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, tzinfo

MINUTE_S = 60
# Late by at least this, a fixed time is at least a minute late (rounded), so missed.
LATE_S = MINUTE_S / 2


def minutes(seconds: float) -> int:
    """The nearest whole number of minutes (halves away from zero): 89 s is 1, 90 s is 2."""
    whole = math.floor(abs(seconds) / MINUTE_S + 0.5)
    return whole if seconds >= 0 else -whole


def to_minute(moment: datetime) -> datetime:
    """The moment at the nearest whole minute (half a minute rounds up)."""
    seconds = moment.second + moment.microsecond / 1e6
    base = moment.replace(second=0, microsecond=0)
    return base + timedelta(minutes=1) if seconds >= MINUTE_S / 2 else base


def clock(moment: datetime, tz: tzinfo) -> str:
    """``HH:MM`` of a planned or forecast time, at the nearest minute."""
    return f"{to_minute(moment.astimezone(tz)):%H:%M}"


def whole_minutes_s(seconds: float) -> int:
    """The seconds of :func:`minutes` (what a proposal wins back, in whole minutes)."""
    return minutes(seconds) * MINUTE_S
