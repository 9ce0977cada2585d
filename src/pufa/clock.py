"""The build's notion of "today": the only clock pufa reads.

Pages compute what depends on today in the browser; the build-time value is only the no-JavaScript
fallback. To make builds reproducible, the clock honours SOURCE_DATE_EPOCH (the reproducible-builds
convention); PUFA_TODAY=YYYY-MM-DD overrides both for tests and previews of a given day.
"""

from __future__ import annotations

import datetime as dt
import os

from .content.records import SHANGHAI


def build_today() -> dt.date:
    if os.environ.get("PUFA_TODAY"):
        return dt.date.fromisoformat(os.environ["PUFA_TODAY"])
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), SHANGHAI).date()
    return dt.datetime.now(SHANGHAI).date()


def build_stamp(today: dt.date) -> dt.datetime:
    """A timestamp for generated files (iCalendar DTSTAMP…): midnight of the build day, Beijing time."""
    return dt.datetime.combine(today, dt.time(), SHANGHAI)
