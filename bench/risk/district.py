"""A synthetic Campus-like district in PostgreSQL: the bundled catalog's tables, keys, indexes
and views, filled with rows in the catalog's numbers for a district of a given size.

Every value is a function of the row's number, so that the whole district is one INSERT per
table. What makes the data behave like a district's:
- History tables hold their rows in school-year blocks (row numbers rise with the year), and a
  row's dates, endYear and the history rows it points at (calendar, section, period...) belong
  to its own year.
- Each year has its own students, a window of Person that moves on as students leave and join;
  a student's calendar (school) is the same in every table, and schools differ in size.
- Absences are concentrated: a fifth of the students have about half of them.
- The codes district SQL filters on (serviceType 'P', status 'A', grade '12', active = 1...)
  occur about as often as in a district.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date

import psycopg

from advisor.catalog.model import Catalog, Column, Table
from bench.risk.translate import STORED_SUFFIX, TODAY, Untranslatable, view_to_postgres

FIRST_DAY = (8, 20)  # month and day school starts
# The school year that holds the bench's today (what GETDATE() becomes); its dates run up to today.
_TODAY = date.fromisoformat(TODAY[:10])
CURRENT_YEAR = _TODAY.year + 1 if (_TODAY.month, _TODAY.day) >= FIRST_DAY else _TODAY.year
DAYS_SO_FAR = (_TODAY - date(CURRENT_YEAR - 1, *FIRST_DAY)).days + 1
STUDENT_NUMBER_START = 122456
STUDENT_TURNOVER = 0.08  # the share of students who leave (and are replaced) each year
SCHOOL_DAYS_SPAN = 290  # calendar days from the first day of school to the last
PERSON_KEYS = {"personid", "personid1"}
ANY_PERSON = {"personid2", "teacherpersonid", "modifiedbyid"}

# Values district SQL filters on, with how often they occur.
CHOICES = {
    "servicetype": [("P", 85), ("S", 10), ("N", 5)],
    "status": [("A", 75), ("T", 25)],
    "excuse": [("E", 40), ("U", 45), ("X", 15)],
    "gender": [("F", 49), ("M", 50), ("N", 1)],
    "raceethnicity": [("1", 5), ("2", 10), ("3", 20), ("4", 15), ("5", 50)],
    "hispanicethnicity": [("Y", 20), ("N", 80)],
    "homeprimarylanguage": [("eng", 85), ("spa", 10), ("hmn", 3), ("som", 2)],
    "startstatus": [("CONT", 80), ("NEW", 12), ("TRAN", 8)],
    "endstatus": [("GRAD", 10), ("TRAN", 20), ("CONT", 70)],
    "state": [("MN", 100)],
    "object": [("Student", 40), ("Person", 30), ("Enrollment", 30)],
    "element": [("busRoute", 5), ("lunchPIN", 5), ("lockerNumber", 5), ("interventionTier", 5),
                ("ellStatus", 5), ("other", 75)],
    "role": [("student", 80), ("teacher", 20)],
    "type": [("R", 80), ("S", 20)],
    "gradingtask.name": [("Quarter Grade", 30), ("Semester Grade", 20), ("Progress Report", 25), ("Final Grade", 25)],
    "score": [("A", 25), ("B", 30), ("C", 25), ("D", 10), ("F", 10)],
    "lastname": [("Johnson", 6), ("Anderson", 5), ("Nelson", 4), ("Peterson", 4), ("Olson", 3), ("Larson", 3),
                 ("Smith", 5), ("Garcia", 4), ("Nguyen", 4), ("Hernandez", 3), ("Lee", 3), ("Vang", 3),
                 ("Mohamed", 3), ("Brown", 3), ("Miller", 3), ("Wilson", 3), ("Thao", 2), ("Ali", 2),
                 ("Martinez", 3), ("Jackson", 3), ("Clark", 2), ("Lewis", 2), ("Walker", 2), ("Young", 2),
                 ("King", 2), ("Wright", 2), ("Lopez", 2), ("Hill", 2), ("Scott", 2), ("Green", 2)],
    "firstname": [("Emma", 3), ("Olivia", 3), ("Ava", 2), ("Sophia", 2), ("Mia", 2), ("Amelia", 2), ("Liam", 3),
                  ("Noah", 3), ("Oliver", 2), ("Elijah", 2), ("James", 2), ("Lucas", 2), ("Mohamed", 1),
                  ("Ahmed", 1), ("Maria", 2), ("Jose", 1), ("Kou", 1), ("Mai", 1), ("Evelyn", 1), ("Henry", 2)],
}
GRADES = ["KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]
BIT_SHARE = {  # the share of rows with the flag set
    "active": 0.85, "guardian": 0.4, "mailing": 0.5, "portal": 0.3, "physical": 0.7, "teacher": 0.6,
    "primarystructure": 0.7, "attendance": 0.9, "instruction": 0.9, "gpa": 0.3, "secondary": 0.1,
}
RARE_BIT_SHARE = 0.05
TYPES = {"int": "integer", "bigint": "bigint", "smallint": "smallint", "tinyint": "smallint", "bit": "smallint",
         "datetime": "timestamp", "smalldatetime": "timestamp", "datetime2": "timestamp", "date": "date",
         "money": "numeric(19,4)", "uniqueidentifier": "uuid", "float": "double precision", "real": "real"}


@dataclass(frozen=True)
class Shape:
    """The district to build: its catalog, the rows each table holds, the years of history."""

    catalog: Catalog
    rows: dict[str, int]  # by lower-case table name
    years: int

    @property
    def students(self) -> int:
        return self.catalog.profile.students

    @property
    def first_year(self) -> int:
        return CURRENT_YEAR - self.years + 1


def pg_type(column: Column) -> str:
    kind = column.type.lower()
    base = kind.split("(")[0].strip()
    if base in TYPES:
        return TYPES[base]
    if "max" in kind:
        return "text"
    if base in ("nvarchar", "varchar", "nchar", "char"):
        return kind.replace("nvarchar", "varchar").replace("nchar", "char")
    if base in ("decimal", "numeric"):
        return kind.replace("decimal", "numeric")
    return "text"


def _name(name: str) -> str:
    return f'"{name.lower()}"'


class Generator:
    """The SQL that fills one table, column by column, from its row number g.i and year g.yr."""

    def __init__(self, shape: Shape):
        self.shape = shape
        self.keys = _key_tables(shape.catalog)

    # -- layout ------------------------------------------------------------------------------
    def rows(self, table: Table) -> int:
        return self.shape.rows[table.name.lower()]

    def blocked(self, table: Table) -> bool:
        """Rows kept per school year: one block of row numbers per year."""
        return table.history and table.volume is not None and table.volume.per in ("school_year", "student_year")

    def per_year(self, table: Table) -> float:
        return self.rows(table) / self.shape.years

    def block_start(self, table: Table, year: str) -> str:
        """The first row number of a year's block."""
        return f"((({year})::bigint * {self.rows(table)} + {self.shape.years - 1}) / {self.shape.years} + 1)"

    def pick(self, table: Table, year: str, fraction: str) -> str:
        """The row `fraction` (0 to 1) of the way through a year's block."""
        size = f"({self.block_start(table, f'{year} + 1')} - {self.block_start(table, year)})"
        return f"({self.block_start(table, year)} + least(floor({fraction} * {size})::bigint, {size} - 1))"

    def random_in_block(self, table: Table, year: str, salt: str) -> str:
        return self.pick(table, year, _uniform(salt))

    def student(self, table: Table, skew: float | None) -> str:
        """A student of the row's year, from the year's window of Person: each in turn
        (skew None), or at random, skewed to the low numbers when skew > 1 (a few students
        have many of the rows)."""
        n = self.shape.students
        if skew is None:
            within = f"(g.i - {self.block_start(table, 'g.yr')}) % {n}"
        else:
            within = f"floor({n} * power({_uniform('person')}, {skew}))::bigint"
        return f"(1 + floor({STUDENT_TURNOVER * n} * g.yr)::bigint + {within})"

    def calendar_of(self, person: str, year: str) -> str:
        """A student's calendar in a year: the same in every table; some schools larger."""
        calendar = self.shape.catalog.table("Calendar")
        return self.pick(calendar, year, f"power(((({person}) * 2654435761) % 1000003)::float8 / 1000003, 1.6)")

    def proportional(self, child: Table, parent: Table, row: str, year: str) -> str:
        """The parent a child row belongs to, children shared out in order within the year."""
        size = f"({self.block_start(child, f'{year} + 1')} - {self.block_start(child, year)})::float8"
        return self.pick(parent, year, f"(({row}) - {self.block_start(child, year)}) / {size}")

    # -- columns -----------------------------------------------------------------------------
    def select(self, table: Table) -> str:
        """SELECT ... producing every row of the table, in column order."""
        rows = self.rows(table)
        year = f"(i::bigint - 1) * {self.shape.years} / {rows}" if self.blocked(table) else "0"
        inner = [self.base(table, column) for column in table.columns]
        outer = [self.derived(table, column) or f"b.{_name(column.name)}" for column in table.columns]
        base = ", ".join(f"{expr} AS {_name(column.name)}" for expr, column in zip(inner, table.columns, strict=True))
        return (f"SELECT {', '.join(outer)} FROM (SELECT g.i, g.yr, {base} FROM "
                f"(SELECT i::bigint AS i, ({year})::int AS yr FROM generate_series(1, {rows}) AS i) AS g) AS b")

    def derived(self, table: Table, column: Column) -> str | None:
        """Columns that follow from another of the row's columns: a student's calendar, a
        section's trial."""
        name = column.name.lower()
        columns = {c.name.lower() for c in table.columns}
        if name == "calendarid" and "personid" in columns and table.volume and table.volume.per == "student_year":
            return self.calendar_of('b."personid"', "b.yr")
        if name == "trialid" and "sectionid" in columns and table.name != "Section":
            section = self.shape.catalog.table("Section")
            trial = self.shape.catalog.table("Trial")
            return self.proportional(section, trial, 'b."sectionid"', "b.yr")
        return None

    def base(self, table: Table, column: Column) -> str:
        name, kind = column.name.lower(), column.type.lower()
        blocked = self.blocked(table)
        if table.primary_key and name == table.primary_key[0].lower() and len(table.primary_key) == 1:
            if name == "endyear":  # SchoolYear: the years of history, this year, and next year set up early
                return f"({CURRENT_YEAR} - {self.rows(table)} + 1 + g.i)::smallint"
            return "g.i"
        if name == "endyear":
            return f"({self.shape.first_year} + g.yr)::smallint" if blocked else f"{CURRENT_YEAR}"
        if name == "startyear":
            return f"({self.shape.first_year} + g.yr - 1)::smallint"
        if name in PERSON_KEYS and blocked and table.volume.per == "student_year":
            return self.student(table, {"Attendance": 3.0, "Enrollment": None}.get(table.name, 1.0))
        if name in ANY_PERSON or (name in PERSON_KEYS and table.name == "RelatedPair"):
            return f"(1 + floor({_uniform(name)} * {self.rows(self.shape.catalog.table('Person'))}))::bigint"
        if name == "currentidentityid":
            return "g.i"
        parent = self.keys.get(name)
        if parent is not None and parent is not table:
            return self.reference(table, parent, name)
        if kind == "bit":
            return self.flag(table, name)
        if "date" in kind or "time" in kind:
            return self.when(table, name)
        if table.name == "Enrollment" and name == "servicetype":
            # a student's second enrollment in a year is a secondary one
            second = f"(g.i - {self.block_start(table, 'g.yr')}) >= {self.shape.students}"
            return f"(CASE WHEN {second} THEN 'S' ELSE {_weighted(CHOICES[name], name)} END)"
        choices = CHOICES.get(f"{table.name.lower()}.{name}") or CHOICES.get(name)
        if choices:
            return _weighted(choices, name)
        if name == "grade":
            return _weighted([(g, 1) for g in GRADES], name)
        if name == "comments":
            return f"(CASE WHEN {_uniform(name)} < 0.05 THEN 'note ' || g.i END)"
        if name == "gpavalue":  # most grades are passing: GPAs cluster near 3
            return f"round((1 + 3 * sqrt({_uniform(name)}))::numeric, 2)"
        if kind.startswith(("decimal", "numeric", "money", "float", "real")):
            return f"round(({_uniform(name)} * 4)::numeric, 2)"
        if kind in ("int", "bigint", "smallint", "tinyint"):
            return "(1 + g.i % 8)" if name in ("seq", "number") else f"(floor({_uniform(name)} * 30))::int"
        if name == "studentnumber":  # six digits, counting up so that the samples' student 123456 exists
            return f"({STUDENT_NUMBER_START} + g.i)::text"
        if table.name == "School" and name == "number":  # four-digit codes, some 0300 and up
            return "lpad((100 + g.i * 37 % 900)::text, 4, '0')"
        if name.endswith(("number", "stateid", "zip", "phone")):  # digits, as districts keep them
            return f"lpad(g.i::text, {min(_length(kind), 6)}, '0')"
        return f"substr(md5(g.i::text || '{name}'), 1, {_length(kind)})"

    def reference(self, table: Table, parent: Table, name: str) -> str:
        """A key of another table: the year's parent, a random one, or one in turn."""
        if self.blocked(table) and self.blocked(parent):
            if table.volume.per == "student_year" or self.per_year(table) < self.per_year(parent):
                return self.random_in_block(parent, "g.yr", name)
            return self.proportional(table, parent, "g.i", "g.yr")
        if parent.name == "District":
            return "1"
        if parent.name == "School" and self.blocked(table):
            offset = f"(g.i - {self.block_start(table, 'g.yr')})"
            return f"(1 + floor({offset} * {self.rows(parent) / self.per_year(table)})::bigint)"
        if self.blocked(table) or table.history:
            return f"(1 + floor({_uniform(name)} * {self.rows(parent)}))::bigint"
        if parent.name == "School":
            return f"(1 + (g.i - 1) * {self.rows(parent)} / {self.rows(table)})"
        return f"(1 + (g.i - 1) % {self.rows(parent)})"

    def flag(self, table: Table, name: str) -> str:
        if table.name == "SchoolYear" and name == "active":
            return f"(g.i = {self.rows(table) - 1})::int"
        share = BIT_SHARE.get(name, RARE_BIT_SHARE)
        return f"({_uniform(name)} < {share})::int"

    def when(self, table: Table, name: str) -> str:
        """Dates: within the row's school year for history, else over the years of history."""
        if self.blocked(table):
            start = f"make_date({self.shape.first_year} - 1 + g.yr, {FIRST_DAY[0]}, {FIRST_DAY[1]})::timestamp"
            current = self.shape.years - 1
            span = f"(CASE WHEN g.yr = {current} THEN {min(DAYS_SO_FAR, SCHOOL_DAYS_SPAN)} ELSE {SCHOOL_DAYS_SPAN} END)"
            if name == "startdate":  # most start with the year, some join during it
                late = f"floor({_uniform('late')} * {span})"
                return f"({start} + (CASE WHEN {_uniform(name)} < 0.9 THEN floor({_uniform('early')} * 20) ELSE {late} END) * interval '1 day')"
            if name == "enddate":
                last = f"({start} + interval '{SCHOOL_DAYS_SPAN} days')"
                if not any(c.name.lower() in PERSON_KEYS for c in table.columns):
                    return last  # calendars and terms have their end dates set ahead
                # this year's enrollments and rosters are mostly still open
                return f"(CASE WHEN g.yr = {current} AND {_uniform(name)} < 0.9 THEN NULL ELSE {last} END)"
            return f"({start} + floor({_uniform(name)} * {span}) * interval '1 day')"
        start = f"make_date({self.shape.first_year - 1}, {FIRST_DAY[0]}, {FIRST_DAY[1]})::timestamp"
        span = 365 * self.shape.years
        if name == "birthdate":
            return f"(make_date({CURRENT_YEAR - 19}, 1, 1)::timestamp + floor({_uniform(name)} * 365 * 14) * interval '1 day')"
        if name == "enddate":
            return (f"(CASE WHEN {_uniform(name)} < 0.7 THEN NULL "
                    f"ELSE {start} + floor({_uniform('end')} * {span}) * interval '1 day' END)")
        return f"({start} + floor({_uniform(name)} * {span}) * interval '1 day')"


def _uniform(salt: str) -> str:
    """A number in [0, 1) for the row g.i: the same on every run, different for each salt."""
    return f"((hashint8(g.i * 1000003 + {zlib.crc32(salt.encode()) % 1_000_000}) & 2147483647)::float8 / 2147483648.0)"


def _weighted(choices: list[tuple[str, int]], salt: str) -> str:
    if len(choices) == 1:
        return f"'{choices[0][0]}'"
    total = sum(weight for _, weight in choices)
    cases, floor = [], 0
    for value, weight in choices[:-1]:
        floor += weight
        cases.append(f"WHEN {_uniform(salt)} < {floor / total} THEN '{value}'")
    return f"(CASE {' '.join(cases)} ELSE '{choices[-1][0]}' END)"


def _length(kind: str) -> int:
    if "(" in kind and "max" not in kind:
        return min(int(kind.split("(")[1].rstrip(")").split(",")[0]), 20)
    return 20


def _key_tables(catalog: Catalog) -> dict[str, Table]:
    """Column name -> the table whose one-column key it names; the largest such table when
    several share a key name (Person, not Contact, for personID)."""
    found: dict[str, Table] = {}
    for table in catalog.tables.values():
        if len(table.primary_key) == 1:
            key = table.primary_key[0].lower()
            if key not in found or table.rows > found[key].rows:
                found[key] = table
    return found


# -- the database -----------------------------------------------------------------------------------
def create_tables(shape: Shape) -> list[str]:
    statements = ['CREATE SCHEMA IF NOT EXISTS "dbo"',
                  # T-SQL joins strings with +
                  "CREATE OPERATOR + (LEFTARG = text, RIGHTARG = text, FUNCTION = textcat)"]
    for table in shape.catalog.tables.values():
        columns = ", ".join(f"{_name(c.name)} {pg_type(c)}" for c in table.columns)
        statements.append(f'CREATE TABLE "dbo".{_name(table.name)} ({columns})')
    return statements


def fill(shape: Shape, table: Table) -> str:
    columns = ", ".join(_name(c.name) for c in table.columns)
    return f'INSERT INTO "dbo".{_name(table.name)} ({columns}) {Generator(shape).select(table)}'


def create_indexes(shape: Shape) -> list[str]:
    statements = []
    for table in shape.catalog.tables.values():
        target = f'"dbo".{_name(table.name)}'
        if table.primary_key:
            statements.append(f"ALTER TABLE {target} ADD PRIMARY KEY ({', '.join(map(_name, table.primary_key))})")
        for index in table.indexes:
            if tuple(c.lower() for c in index.columns) == tuple(c.lower() for c in table.primary_key):
                continue
            statements.append(_index(index, target, table.name))
    return statements


def _index(index, target: str, owner: str) -> str:
    include = f" INCLUDE ({', '.join(map(_name, index.include))})" if index.include else ""
    unique = "UNIQUE " if index.unique else ""
    name = _name(f"{owner}_{index.name}")
    return f"CREATE {unique}INDEX {name} ON {target} ({', '.join(map(_name, index.columns))}){include}"


def create_views(catalog: Catalog) -> tuple[list[str], dict[str, str]]:
    """CREATE VIEW statements in an order that works (views on views after their sources), and
    the views that did not translate, with why. An indexed view becomes a plain view and a
    materialized copy with its indexes, for queries that read it WITH (NOEXPAND)."""
    stored = {name for name, view in catalog.views.items() if view.indexed}
    statements, failed = [], {}
    for view in catalog.views.values():
        try:
            sql, query = view_to_postgres(view.definition, stored)
        except Untranslatable as reason:
            failed[view.name] = str(reason)
            continue
        statements.append(sql)
        if view.indexed:
            copy = f'"dbo".{_name(view.name + STORED_SUFFIX)}'
            statements.append(f"CREATE MATERIALIZED VIEW {copy} AS {query}")
            statements += [_index(index, copy, view.name + STORED_SUFFIX) for index in view.indexes]
    return statements, failed


def shape_for(catalog: Catalog, students: int, extra_years: int = 0) -> Shape:
    """The bundled catalog's district at `students`, with `extra_years` more years of history
    grown as sqladvise projects it."""
    from advisor.risk.cardinality import Sizes

    sized = catalog.sized_for(students)
    sizes = Sizes(sized, extra_years)
    rows = {key: round(sizes.rows(table)) for key, table in sized.tables.items()}
    return Shape(sized, rows, sized.profile.history_years + extra_years)


def build(connection, shape: Shape, say=print) -> dict[str, str]:
    """Create and fill the district; the views that could not be created, with why."""
    with connection.cursor() as cursor:
        for statement in create_tables(shape):
            cursor.execute(statement)
        for table in shape.catalog.tables.values():
            say(f"  {table.name}: {shape.rows[table.name.lower()]:,} rows")
            cursor.execute(fill(shape, table))
        for statement in create_indexes(shape):
            cursor.execute(statement)
        views, failed = create_views(shape.catalog)
        for statement in views:
            cursor.execute("SAVEPOINT view")
            try:
                cursor.execute(statement)
            except psycopg.Error as error:  # a view PostgreSQL rejects is reported, not fatal
                cursor.execute("ROLLBACK TO SAVEPOINT view")
                failed[statement.split('"')[3]] = str(error).splitlines()[0]
    connection.commit()
    connection.autocommit = True
    connection.execute("VACUUM ANALYZE")
    connection.autocommit = False
    return failed
