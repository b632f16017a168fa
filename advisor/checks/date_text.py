"""How SQL Server writes a date as text, for PR005: CONVERT's numeric styles, and CAST's (or a
comparison's) default, 'Mar  2 2026  2:07PM' for a date and time and '2026-03-02' for a date.
With it, a comparison's text can be checked against what the conversion really writes:
CONVERT(varchar(8), a.date, 112) is never '2026-03', whatever the author meant by it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlglot import exp

from advisor.analysis.predicates import conversion, unsigned_number

_STYLES = {1: "%m/%d/%y", 2: "%y.%m.%d", 3: "%d/%m/%y", 4: "%d.%m.%y", 5: "%d-%m-%y", 10: "%m-%d-%y", 11: "%y/%m/%d",
           12: "%y%m%d", 23: "%Y-%m-%d", 101: "%m/%d/%Y", 102: "%Y.%m.%d", 103: "%d/%m/%Y", 104: "%d.%m.%Y", 105: "%d-%m-%Y",
           110: "%m-%d-%Y", 111: "%Y/%m/%d", 112: "%Y%m%d", 20: "%Y-%m-%d %H:%M:%S", 120: "%Y-%m-%d %H:%M:%S",
           21: "%Y-%m-%d %H:%M:%S.000", 121: "%Y-%m-%d %H:%M:%S.000", 126: "%Y-%m-%dT%H:%M:%S"}
_ISO = "%Y-%m-%d"
_UNSIZED = 30  # varchar without a length, in CAST and CONVERT
_SAMPLE = datetime(2026, 3, 2, 14, 7)
# days whose text, in a style that does not sort as they do (month first, day first), comes in the wrong order
_OUT_OF_ORDER = ((date(2025, 12, 1), date(2026, 1, 5)), (date(2026, 1, 31), date(2026, 2, 1)))


@dataclass(frozen=True)
class DateText:
    """What a conversion writes for a date: the format, cut to the type's length."""

    write: Callable[[datetime], str]
    length: int
    pattern: str | None = None  # the strftime pattern of a style of numbers, which reads its text back

    def day_of(self, text: str) -> date | None:
        """The day a text in this conversion's own format names: '01/08/2026' is 1 August in
        style 103, 8 January in style 101."""
        if self.pattern is None:
            return None
        for pattern in dict.fromkeys((self.pattern, self.pattern.replace("T", " ").split(" ")[0])):
            try:
                return datetime.strptime(text.strip(), pattern).date()
            except ValueError:
                continue
        return None

    def of(self, moment: datetime) -> str:
        return self.write(moment)[:self.length].rstrip()  # comparisons pass over trailing spaces

    @property
    def sample(self) -> str:
        return self.of(_SAMPLE)

    def out_of_order(self) -> tuple[str, str] | None:
        """Two texts it writes that sort the other way round from their days ('12/01/2025' after
        '01/05/2026', month first); None where its text sorts as the days do (yyyy-mm-dd)."""
        texts = [(self.of(datetime.combine(a, time())), self.of(datetime.combine(b, time()))) for a, b in _OUT_OF_ORDER]
        return next(((first, second) for first, second in texts if first > second), None)

    def names(self, kind: type, text: str, first: date, after: date) -> bool:
        """Whether `= text` (or LIKE 'text%') keeps exactly the days from `first` to before `after`,
        at any time of day."""
        inside = [datetime.combine(first, time()), datetime.combine(after - timedelta(days=1), time(23, 59))]
        outside = [datetime.combine(first - timedelta(days=1), time(23, 59)), datetime.combine(after, time())]
        if kind is exp.Like:
            prefix = text[:-1]
            return all(self.of(m).startswith(prefix) for m in inside) and not any(self.of(m).startswith(prefix) for m in outside)
        return all(self.of(m) == text.rstrip() for m in inside) and all(self.of(m) != text.rstrip() for m in outside)


def date_text(side: exp.Expression, column_type: str) -> DateText | None:
    """What `side` writes for the column's dates: CONVERT(varchar(n), d, style) with a style of
    numbers, CAST(d AS varchar(n)), or the column itself (a.date LIKE '2026%' converts it as CAST
    does); None for anything else (LEFT(...), FORMAT, a style with month names)."""
    if isinstance(side, exp.Column):
        return _default(column_type, _UNSIZED)
    target, operand = conversion(side) or (None, None)
    if not isinstance(operand, exp.Column):
        return None
    if not isinstance(target, exp.DataType) or not target.is_type(*exp.DataType.TEXT_TYPES):
        return None
    sizes = [unsigned_number(p.this) for p in target.expressions if isinstance(p, exp.DataTypeParam)]
    length = sizes[0] if sizes and sizes[0] is not None else _UNSIZED
    style = side.args.get("style") if isinstance(side, exp.Convert) else None
    if style is None:
        return _default(column_type, length)
    number = unsigned_number(style)
    return DateText(_formatted(_STYLES[number]), length, _STYLES[number]) if number in _STYLES else None


def _default(column_type: str, length: int) -> DateText:
    """CAST's text of a date: ISO for a date, 'Mar  2 2026  2:07PM' for a date and time."""
    if column_type.lower().split("(")[0].strip() == "date":
        return DateText(_formatted(_ISO), length, _ISO)
    return DateText(_month_first, length)


def _formatted(pattern: str) -> Callable[[datetime], str]:
    return lambda moment: moment.strftime(pattern)


def _month_first(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{moment:%b} {moment.day:>2} {moment.year} {hour:>2}:{moment:%M}{'PM' if moment.hour >= 12 else 'AM'}"
