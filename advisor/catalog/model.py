"""What sqladvise knows about a Campus database: its tables, views and their sizes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

SCOPE_KINDS = (
    "year", "calendar", "school", "structure", "trial", "term", "period", "section", "course",
    "enrollment", "date", "person", "record",
)
DEFAULT_HISTORY_YEARS = 10
MOST_STUDENTS = 2_000_000  # the largest school districts have about a million
VOLUME_BASES = ("fixed", "school", "school_year", "student", "student_year")
VIEW_ADVICE = ("after_hours",)
FUNCTION_KINDS = ("scalar", "inline", "multi_statement")


@dataclass(frozen=True)
class Server:
    """The SQL Server a district's catalog was exported from, as SERVERPROPERTY and sys.databases say."""

    product_version: str | None = None
    edition: str | None = None
    compatibility_level: int | None = None  # below 120 the optimizer uses the legacy cardinality estimator
    collation: str | None = None  # the database's default

    @property
    def legacy_estimator(self) -> bool:
        return self.compatibility_level is not None and self.compatibility_level < 120


_TYPE = re.compile(r"^\s*(\w+)\s*(?:\(\s*(\w+)\s*(?:,\s*(\d+)\s*)?\))?")


def type_parts(sql_type: str) -> tuple[str, str | None, str | None] | None:
    """A declared type's name and the one or two values in its parentheses, lower-case:
    varchar(50) is ('varchar', '50', None), decimal(5, 2) ('decimal', '5', '2'), nvarchar(MAX)
    ('nvarchar', 'max', None)."""
    match = _TYPE.match(sql_type.lower())
    return match.groups() if match else None


@dataclass(frozen=True)
class Column:
    """A table's column and its SQL Server type."""

    name: str
    type: str
    nullable: bool = True
    collation: str | None = None  # text columns only


@dataclass(frozen=True)
class Index:
    """An index on a table or indexed view."""

    name: str
    columns: tuple[str, ...]
    include: tuple[str, ...] = ()
    unique: bool = False
    clustered: bool | None = False  # None: the source could not say (merge.py asks the bundled catalog)


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key between two tables."""

    name: str
    columns: tuple[str, ...]
    references: str  # the referenced table's name
    referenced_columns: tuple[str, ...]
    references_schema: str = "dbo"
    # An untrusted key (created or re-enabled WITH NOCHECK) tells the optimizer nothing.
    trusted: bool = True


@dataclass(frozen=True)
class Volume:
    """A row count that scales with the district: `rate` rows per `per` (see VOLUME_BASES)."""

    per: str
    rate: float


@dataclass(frozen=True)
class Profile:
    """The district a bundled catalog is sized for."""

    students: int = 25_000
    history_years: int = DEFAULT_HISTORY_YEARS
    students_per_school: int = 600
    new_people_per_year: float = 0.12

    @property
    def schools(self) -> int:
        return max(1, round(self.students / self.students_per_school))

    def rows(self, volume: Volume) -> int:
        return round(volume.rate * self._basis(volume.per))

    def growth_per_year(self, volume: Volume) -> int:
        """Rows a table gains in a year: one more year of history, or the year's new people."""
        if volume.per == "school_year":
            return round(volume.rate * self.schools)
        if volume.per == "student_year":
            return round(volume.rate * self.students)
        if volume.per == "student":
            return round(volume.rate * self.students * self.new_people_per_year)
        return 0

    def _basis(self, per: str) -> float:
        return {
            "fixed": 1,
            "school": self.schools,
            "school_year": self.schools * self.history_years,
            "student": self.students,
            "student_year": self.students * self.history_years,
        }[per]


@dataclass
class Table:
    """A base table: columns, keys, indexes, size, growth and scope."""

    name: str
    schema: str = "dbo"
    columns: tuple[Column, ...] = ()
    primary_key: tuple[str, ...] = ()
    indexes: tuple[Index, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows: int = 0
    # False when the catalog's source could not count the rows (a live pull from a database
    # without statistics); the bundled table of the same name then sizes it (merge.py).
    rows_known: bool = True
    pages: int | None = None  # used 8 KB pages, when the catalog knows them; else estimated
    growth_per_year: int = 0
    growth_known: bool = True  # False when the catalog gave neither growth_per_year nor a volume
    volume: Volume | None = None
    # Keeps every school year's rows, so a query that does not limit it reads all of them.
    history: bool = False
    scope: dict[str, str] = field(default_factory=dict)  # lower-case column -> SCOPE_KINDS
    join_keys: frozenset[str] = frozenset()  # lower-case; besides the catalog-wide ones
    grains: tuple[tuple[str, ...], ...] = ()  # column sets that (nearly) identify a row
    # lower-case column -> {value as written in SQL, lower-case: its share of the rows}
    shares: dict[str, dict[str, float]] = field(default_factory=dict)
    # lower-case column -> the value, as written in SQL, lower-case, that names one row at most
    # (SchoolYear's active = 1: Campus keeps one current year)
    one_row: dict[str, str] = field(default_factory=dict)
    # lower-case columns whose values districts write the school year into (Calendar's name,
    # '26-27 Lincoln Elementary'): a filter on one picks a year where its every value names one
    year_names: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._columns = {column.name.lower(): column for column in self.columns}
        clustered = next((index.columns for index in self.indexes if index.clustered), ())
        self._held = {index: frozenset(c.lower() for c in (*index.columns, *index.include, *clustered))
                      for index in self.indexes}
        keys = [self.primary_key] + [index.columns for index in self.indexes if index.unique]
        self._unique_columns = {key[0].lower() for key in keys if len(key) == 1}
        # What the one-column primary key names (School.schoolID: a school), if the scope says
        self.key_kind = self.scope.get(self.primary_key[0].lower()) if len(self.primary_key) == 1 else None

    def column(self, name: str) -> Column | None:
        return self._columns.get(name.lower())

    def held(self, index: Index) -> frozenset[str]:
        """The lower-case columns a nonclustered index holds: its keys, its included columns and
        the clustered index's key, which every row of it carries."""
        return self._held[index]

    def scope_kind(self, column: str) -> str | None:
        return self.scope.get(column.lower())

    def unique_on(self, column: str) -> bool:
        """Whether one column alone identifies a row (its primary key or a unique index)."""
        return column.lower() in self._unique_columns

    def unique_by(self, columns: set[str], values: dict[str, str] | None = None) -> bool:
        """Whether the lower-case `columns` hold the primary key or the columns of a unique index;
        or, of those fixed to `values` (lower-case column -> value as written), one whose value
        names one row."""
        keys = [self.primary_key] + [index.columns for index in self.indexes if index.unique]
        if any(key and {c.lower() for c in key} <= columns for key in keys):
            return True
        return any(self.one_row.get(column) == value for column, value in (values or {}).items())


@dataclass
class View:
    """A view: its definition, expanded when a query reads it."""

    name: str
    definition: str  # the CREATE VIEW statement as the server holds it
    schema: str = "dbo"
    columns: tuple[str, ...] = ()
    indexed: bool | None = False  # None: the source could not say (merge.py asks the bundled catalog)
    schemabound: bool | None = False
    indexes: tuple[Index, ...] = ()  # an indexed view's, stored like a table's
    rows: int | None = None  # an indexed view's stored rows, when the catalog knows them
    advice: tuple[str, ...] = ()  # VIEW_ADVICE


@dataclass(frozen=True)
class Function:
    """A user-defined function, and what kind it is."""

    name: str
    kind: str  # FUNCTION_KINDS
    schema: str = "dbo"
    definition: str | None = None


@dataclass
class Catalog:
    """Every table, view and function the analysis knows, with sizes and scope."""

    description: str
    approximate: bool
    origin: str  # "bundled" or the file it was loaded from
    tables: dict[str, Table] = field(default_factory=dict)  # by lower-case name
    views: dict[str, View] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)  # by lower-case name
    server: Server | None = None  # a district export's; the bundled catalog has none
    scope_join_keys: frozenset[str] = frozenset()  # lower-case
    profile: Profile | None = None
    wizard_fields: dict[str, str] = field(default_factory=dict)  # Query Wizard field prefix (lower case) -> view
    from_bundled: tuple[str, ...] = ()  # objects a district's catalog lacked, taken from the bundled one (merge.py)
    sized_from_bundled: tuple[str, ...] = ()  # its tables without row counts, sized by the bundled ones
    unsized: tuple[str, ...] = ()  # its tables without row counts that the bundled catalog lacks too
    # its tables the bundled catalog lacks: the district's own (a staging table an extract refills),
    # or Campus's that sqladvise does not know
    unfamiliar: tuple[str, ...] = ()

    def table(self, name: str) -> Table | None:
        return self.tables.get(name.lower())

    def guessed(self, names: Iterable[str]) -> bool:
        """Whether what it says of these objects is the bundled approximation's: it is the bundled
        catalog, or a district's that lacked one of them."""
        return self.approximate or any(name in self.from_bundled for name in names)

    def familiar(self, table: Table) -> bool:
        """Whether a table is one of Campus's that the bundled catalog describes."""
        return table.name not in self.unfamiliar

    def view(self, name: str) -> View | None:
        return self.views.get(name.lower())

    def key_tables(self) -> dict[str, Table]:
        """Each one-column primary key's lower-case name and its table: a column named like it
        holds that table's values (personID, Person's). Where several tables share a key name
        (Person and Contact: personID), the largest, which holds them all."""
        keyed: dict[str, Table] = {}
        for table in sorted(self.tables.values(), key=lambda t: t.rows):
            if len(table.primary_key) == 1:
                keyed[table.primary_key[0].lower()] = table
        return keyed

    def function(self, name: str) -> Function | None:
        return self.functions.get(name.lower())

    @property
    def history_years(self) -> int:
        """The school years of history its sizes are for; ten when it does not say (a district's export)."""
        return self.profile.history_years if self.profile else DEFAULT_HISTORY_YEARS

    def carries_scope(self, table: Table, column: str) -> bool:
        """Whether an equality join on `column` carries a limit into `table`."""
        column = column.lower()
        return column in self.scope_join_keys or column in table.join_keys

    def sized_for(self, students: int) -> Catalog:
        """The same catalog for a district of `students`; tables with fixed counts keep them."""
        if self.profile is None:
            return self
        profile = replace(self.profile, students=students)
        tables = {key: _resized(table, profile) for key, table in self.tables.items()}
        return replace(self, tables=tables, profile=profile)


def _resized(table: Table, profile: Profile) -> Table:
    if table.volume is None:
        return table
    return replace(table, rows=profile.rows(table.volume), growth_per_year=profile.growth_per_year(table.volume))
