"""SSRS report definitions (.rdl) and shared data sets (.rsd): the SQL each data set runs, with
where each of its characters stands in the file, so that findings point at the report's lines.

A data set's query is the text of its Query's CommandText, XML-escaped (`&lt;&gt;` for `<>`).
Not every data set runs SQL sqladvise can read: one may run a stored procedure, build its query
in an expression (`="SELECT ..." & Parameters!School.Value`), or read a source that is not SQL
Server (an Analysis Services cube's MDX). Those are named, with why, and the others checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from advisor.frontend.parse import ReportFacts

# Data providers that speak T-SQL: SQL Server's own, and the generic ones districts point at it.
T_SQL_PROVIDERS = {"sql", "sqlazure", "sqlpdw", "oledb", "odbc"}


class NotADefinition(ValueError):
    """The file is not XML that a report definition could be."""


@dataclass(frozen=True)
class Unread:
    """Why a data set's query is not checked, and what its author can do."""

    reason: str
    fix: str


_PROCEDURE_FIX = ("Check the procedure's own SQL: script it in SQL Server Management Studio (Script Procedure as > "
                  "CREATE To) and check that file.")
_EXPRESSION_FIX = ("Write the query out in the data set, with report parameters (@School) where the expression pastes "
                   "values in; or save the SQL it builds for one run as a .sql file and check that.")
_ELSEWHERE_FIX = "Nothing to do here: sqladvise checks T-SQL that SQL Server runs."

# How SSRS sends a report parameter of each data type to SQL Server: text as nvarchar, whatever
# the column it is compared with.
SENT_AS = {"string": "nvarchar", "integer": "int", "float": "float", "datetime": "datetime", "boolean": "bit"}
_PASSED = re.compile(r"=\s*Parameters!(\w+)\.Value\s*$", re.IGNORECASE)
# How a filter's operator reads in SQL
_OPERATORS = {"equal": "=", "notequal": "<>", "greaterthan": ">", "greaterthanorequal": ">=", "lessthan": "<",
              "lessthanorequal": "<=", "like": "LIKE", "in": "IN", "between": "BETWEEN"}
# A field's use in any of the report's expressions: Fields!absentDays.Value, Fields("absentDays").Value
_FIELD_USE = re.compile(r"Fields(?:!(\w+)|\(\s*(?:\"|&quot;)(\w+))", re.IGNORECASE)


@dataclass
class ReportParameter:
    """A parameter the report asks for when it runs."""

    data_type: str = "string"  # lower case: string, integer, float, datetime, boolean
    multi: bool = False  # several values, which SSRS writes into the query as a list: IN (@Schools)


@dataclass
class DataSet:
    """One data set's query, as the file holds it."""

    name: str
    start: int  # where its DataSet element's start tag begins in the file, and where it ends
    end: int
    sql: str = ""
    offsets: list[int] = field(default_factory=list)  # the file offset of each character of `sql`
    command_type: str = "text"
    source: str | None = None  # the name of the report's data source it reads, when it names one
    # what each of its query parameters is given, by lower-case name without the @: an expression,
    # =Parameters!School.Value for a report parameter's value
    passed: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # each field's query column, by the field's lower-case name
    shared: str | None = None  # the shared data set it reads instead of a query of its own
    filters: list[str] = field(default_factory=list)  # the filters the report server applies to its rows, as written
    timeout: int | None = None  # the seconds the report server lets its query run; None for no limit of its own

    def unread(self, providers: dict[str, str]) -> Unread | None:
        """Why sqladvise does not check this data set's query, or None when it does."""
        query = self.sql.strip()
        if self.shared is not None:
            return Unread(f"its query is the shared data set {self.shared}, which has a file of its own",
                          "Check the shared data set's .rsd file, as the report server or the report project holds it.")
        if self.command_type == "storedprocedure":
            return Unread(f"it runs the stored procedure {query}, whose SQL is in the database, not in the report",
                          _PROCEDURE_FIX)
        if self.command_type == "tabledirect":
            return Unread(f"it reads the table {query} whole (TableDirect), with no SQL of its own",
                          "Nothing to check in the report; a table read whole reads every year of a history table.")
        if query.startswith("="):
            return Unread("its query is an expression that builds the SQL when the report runs", _EXPRESSION_FIX)
        provider = providers.get((self.source or "").lower())
        if provider is not None and provider.lower() not in T_SQL_PROVIDERS:
            return Unread(f"its data source {self.source} reads through the {provider} provider, not SQL Server",
                          _ELSEWHERE_FIX)
        if not query:
            return Unread("it has no query", "Nothing to check.")
        return None


@dataclass
class Definition:
    """What sqladvise reads of a report definition."""

    author: str | None
    data_sets: list[DataSet]
    providers: dict[str, str]  # each embedded data source's provider, by lower-case name
    parameters: dict[str, ReportParameter]  # by lower-case name
    # the data sources whose data sets run one after another in one transaction, by lower-case
    # name; the others' run at the same time
    in_one_transaction: set[str] = field(default_factory=set)
    # the fields the report shows or uses anywhere, by lower-case name; None for a shared data
    # set, whose fields the reports that use it show
    used_fields: set[str] | None = None

    def script(self) -> tuple[str, list[int], ReportFacts]:
        """The SQL of the data sets it reads, each its own batch; the file offset of each of its
        characters (a GO line between data sets stands where the one before it ends); and what
        the report says of the data sets."""
        parts: list[str] = []
        offsets: list[int] = []
        starts: list[int] = []
        read = self.read()
        for data_set in read:
            if parts:
                parts.append("\nGO\n")
                offsets += [offsets[-1] + 1] * 4
            starts.append(len(offsets))
            parts.append(data_set.sql)
            offsets += data_set.offsets
        facts = ReportFacts(self.parameter_types(read), tuple(data_set.name for data_set in read), tuple(starts),
                            tuple(self.shown(data_set) for data_set in read), self.runs(read),
                            tuple(tuple(data_set.filters) for data_set in read),
                            tuple(data_set.timeout for data_set in read), self.lists(read))
        return "".join(parts), offsets, facts

    def read(self) -> list[DataSet]:
        return [data_set for data_set in self.data_sets if data_set.unread(self.providers) is None]

    def unread(self) -> list[tuple[DataSet, Unread]]:
        return [(data_set, unread) for data_set in self.data_sets if (unread := data_set.unread(self.providers))]

    def shown(self, data_set: DataSet) -> frozenset[str] | None:
        """The columns (lower case) of a data set's query whose fields the report uses; None where
        that is not known: a shared data set, or a data set that lists no fields."""
        if self.used_fields is None or not data_set.fields:
            return None
        return frozenset(column.lower() for name, column in data_set.fields.items() if name in self.used_fields)

    def runs(self, read: list[DataSet]) -> tuple[int, ...]:
        """The run each data set read is in: its own, as SSRS runs each data set at the same time
        as the others, but one for all those of a data source that runs them in one transaction,
        one after another."""
        first: dict[str, int] = {}
        sources = [(data_set.source or "").lower() for data_set in read]
        return tuple(first.setdefault(source, number) if source in self.in_one_transaction else number
                     for number, source in enumerate(sources))

    def lists(self, read: list[DataSet]) -> tuple[frozenset[str], ...]:
        """For each data set read, its query parameters (lower case, without the @) given a
        multi-value report parameter's values, which SSRS writes into the query as a list."""
        return tuple(frozenset(name for name, value in data_set.passed.items()
                               if (given := _PASSED.match(value)) is not None
                               and (parameter := self.parameters.get(given.group(1).lower())) is not None and parameter.multi)
                     for data_set in read)

    def parameter_types(self, read: list[DataSet]) -> dict[str, str]:
        """The type in which each query parameter of the data sets read reaches SQL Server, by
        lower-case name without the @, where it is given one report parameter's value."""
        found: dict[str, str] = {}
        for data_set in read:
            for name, value in data_set.passed.items():
                given = _PASSED.match(value)
                parameter = self.parameters.get(given.group(1).lower()) if given else None
                if parameter is not None and not parameter.multi and parameter.data_type in SENT_AS:
                    found.setdefault(name, SENT_AS[parameter.data_type])
        return found


ROOTS = ("Report", "SharedDataSet")


def read_definition(text: str) -> Definition:
    """Raises NotADefinition when the text is not well-formed XML, or XML of another kind."""
    reader = _Reader(text)
    parser = expat.ParserCreate(encoding="utf-8")  # the text is decoded already, whatever the file declares
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.characters
    reader.parser = parser
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        raise NotADefinition(f"it is not well-formed XML ({expat.ErrorString(error.code)}, line {error.lineno})") from None
    if reader.root not in ROOTS:
        raise NotADefinition(f"it is XML, but not an SSRS report definition: its root element is {reader.root}, "
                             f"not {' or '.join(ROOTS)}")
    used = {(bang or called).lower() for bang, called in _FIELD_USE.findall(text)} | reader.listed_fields
    return Definition(reader.author, reader.data_sets, reader.providers, reader.parameters, reader.in_one_transaction,
                      used if reader.root == "Report" else None)


# The elements whose text is read whole: short values, not a query.
_SHORT = {"Author", "CommandType", "DataSourceName", "DataSourceReference", "DataProvider", "DataType", "MultiValue", "Value",
          "Transaction", "DataField", "ValueField", "LabelField", "SharedDataSetReference", "FilterExpression", "Operator",
          "FilterValue", "Timeout"}


class _Reader:
    """Follows the elements as expat meets them, and keeps what a Definition holds: the data sets
    (their queries, fields, filters, parameters), the report's author, parameters and fields
    used, its embedded data sources' providers and transactions."""

    def __init__(self, text: str):
        self.text = text
        self.parser: expat.XMLParserType | None = None
        self.path: list[str] = []
        self.root: str | None = None
        self.author: str | None = None
        self.data_sets: list[DataSet] = []
        self.providers: dict[str, str] = {}
        self.parameters: dict[str, ReportParameter] = {}
        self.in_one_transaction: set[str] = set()
        self.listed_fields: set[str] = set()  # the fields a parameter's list of values shows (lower case)
        self._filter: list[str] = []  # the filter being read: its expression, operator and values
        self._source: str | None = None  # the data source being read
        self._named: str = ""  # the Name of the report parameter, query parameter or field being read
        self._words: list[str] = []  # the text of the element being read, for the short ones
        self._query: list[str] = []  # the text of the CommandText being read, in the pieces expat gives
        self._ascii = text.isascii()
        self._byte, self._char = 0, 0  # a known pair of UTF-8 byte and character offsets

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        name = tag.rpartition(":")[2]
        self.root = self.root or name
        self.path.append(name)
        self._words = []
        if name == "DataSet" and self._under("DataSets", "SharedDataSet"):
            start = self._offset()
            self.data_sets.append(DataSet(attributes.get("Name", "(unnamed)"), start, self.text.find(">", start) + 1))
        elif name == "DataSource" and self._under("DataSources"):
            self._source = attributes.get("Name", "")
        elif name == "ReportParameter" and self._under("ReportParameters"):
            self._named = attributes.get("Name", "").lower()
            self.parameters[self._named] = ReportParameter()
        elif name == "QueryParameter" and self._under("QueryParameters"):
            self._named = attributes.get("Name", "").lstrip("@").lower()
        elif name == "Field" and self._under("Fields"):
            self._named = attributes.get("Name", "").lower()
        elif name == "Filter" and self.path[-3:] == ["DataSet", "Filters", "Filter"]:
            self._filter = ["", ""]

    def end(self, tag: str) -> None:
        name = self.path.pop()
        words = "".join(self._words).strip()
        if name == "Author" and self.path == ["Report"] and words:
            self.author = words
        elif self.data_sets and self.path[-2:] == ["DataSet", "Query"]:
            if name == "CommandText":
                self.data_sets[-1].sql = "".join(self._query)
                self._query = []
            elif name == "CommandType":
                self.data_sets[-1].command_type = words.lower()
            elif name in ("DataSourceName", "DataSourceReference"):
                self.data_sets[-1].source = words
            elif name == "Timeout":  # 0, or none, lets the query run as long as the report does
                self.data_sets[-1].timeout = int(words) if words.isdecimal() and int(words) > 0 else None
        elif name == "SharedDataSetReference" and self.path[-2:] == ["DataSet", "SharedDataSet"] and self.data_sets:
            self.data_sets[-1].shared = words
        elif name == "DataProvider" and self._source is not None and self.path[-1:] == ["ConnectionProperties"]:
            self.providers[self._source.lower()] = words
        elif name == "Transaction" and self._source is not None and self.path[-1:] == ["DataSource"]:
            if words.lower() == "true":
                self.in_one_transaction.add(self._source.lower())
        elif self.path[-1:] == ["ReportParameter"] and self._named in self.parameters:
            if name == "DataType":
                self.parameters[self._named].data_type = words.lower()
            elif name == "MultiValue":
                self.parameters[self._named].multi = words.lower() == "true"
        elif name == "Value" and self.path[-3:] == ["Query", "QueryParameters", "QueryParameter"] and self.data_sets:
            self.data_sets[-1].passed[self._named] = words
        elif name == "DataField" and self.path[-3:] == ["DataSet", "Fields", "Field"] and self.data_sets:
            self.data_sets[-1].fields[self._named] = words
        elif name in ("ValueField", "LabelField"):
            self.listed_fields.add(words.lower())
        elif self._filter and name in ("FilterExpression", "Operator", "FilterValue"):
            if name == "FilterValue":
                self._filter.append(words.lstrip("="))
            else:
                self._filter[1 if name == "Operator" else 0] = words.lstrip("=")
        elif name == "Filter" and self.path[-2:] == ["DataSet", "Filters"] and self._filter and self.data_sets:
            self.data_sets[-1].filters.append(_as_written(*self._filter))
            self._filter = []
        self._words = []

    def characters(self, data: str) -> None:
        if self.path[-3:] == ["DataSet", "Query", "CommandText"] and self.data_sets:
            self._add(self.data_sets[-1], data)
        elif self.path and self.path[-1] in _SHORT:
            self._words.append(data)

    def _under(self, *parents: str) -> bool:
        return len(self.path) >= 2 and self.path[-2] in parents

    def _add(self, data_set: DataSet, data: str) -> None:
        at = self._offset()
        self._query.append(data)
        if self.text.startswith(data, at):
            data_set.offsets += range(at, at + len(data))
        else:  # an entity (&lt;), a character reference (&#39;) or a CRLF read as one line break
            data_set.offsets += [at] * len(data)

    def _offset(self) -> int:
        """Where, in characters, the event expat is reporting starts."""
        byte = self.parser.CurrentByteIndex
        if self._ascii:
            return byte
        # Events come in order: count the characters from the last known place on. A character
        # takes one to four bytes, so as many characters as bytes are enough to cover the gap.
        gap = byte - self._byte
        self._char += len(self.text[self._char:self._char + gap].encode("utf-8")[:gap].decode("utf-8"))
        self._byte = byte
        return self._char


def _as_written(expression: str, operator: str, *values: str) -> str:
    """A data set's filter as a condition reads: Fields!schoolID.Value = Parameters!School.Value."""
    said = _OPERATORS.get(operator.lower(), operator)
    if said == "IN":
        return f"{expression} IN ({', '.join(values)})"
    if said == "BETWEEN" and len(values) == 2:
        return f"{expression} BETWEEN {values[0]} AND {values[1]}"
    return f"{expression} {said} {', '.join(values)}".strip()
