"""Checks: small functions over the analysed statements, registered by rule id."""

from __future__ import annotations

from advisor.checks import (  # noqa: F401  (they register their rules)
    ages,
    aliases,
    ambiguous,
    batch_starts,
    bindings,
    blank_numbers,
    blank_texts,
    blanks,
    built_variables,
    catch_all_nulls,
    chained_anti_joins,
    columns,
    concatenation,
    conditions,
    conflicting_conditions,
    control_flow,
    crossed_rows,
    cut_text,
    date_numbers,
    date_order,
    day_ends,
    digit_ranges,
    distinct_totals,
    empty_groups,
    endless_loops,
    filtering_joins,
    grouped_before_join,
    grouped_names,
    grouped_rows,
    hints,
    impossible_dates,
    inserts,
    integer_division,
    joins,
    left_join_counts,
    left_join_sums,
    list_parameters,
    list_variables,
    made_names,
    misplaced_aggregates,
    misplaced_values,
    misspelt_variables,
    multiplied_totals,
    narrow_columns,
    never_true,
    null_totals,
    nullable_keys,
    open_transactions,
    outer_columns,
    output_names,
    overflowing_numbers,
    ownership,
    padded_text,
    parse,
    percent_with_equals,
    predicates,
    recursion_limit,
    recursive_types,
    repeated_keys,
    repeated_subqueries,
    report_data_sets,
    routines,
    row_number_ties,
    school_year,
    scope,
    self_comparisons,
    shape,
    single_values,
    sort_columns,
    subqueries,
    subquery_columns,
    text_conversions,
    text_plus_number,
    text_totals,
    triangular_joins,
    unconvertible_text,
    unended_statements,
    ungrouped,
    unions,
    unread_ctes,
    unread_tables,
    unread_variables,
    untied_exists,
    unused,
    update_sources,
    variables,
    view_columns,
    view_contents,
    views,
    wildcards_as_text,
    windows,
    zero_divisors,
)
from advisor.checks.comparisons import forget as forget_comparisons
from advisor.checks.indexes import forget as forget_indexes
from advisor.checks.registry import (
    FILE_CHECKS,
    STATEMENT_CHECKS,
    FileContext,
    Hit,
    rule_docs,
)
from advisor.findings import Finding


def run_checks(context: FileContext, running: frozenset[str]) -> list[Finding]:
    """The findings of the rules in `running`; the others' checks are not run at all."""
    findings: list[Finding] = []
    for rule_id, check in FILE_CHECKS.items():
        if rule_id in running:
            for hit in check(context):
                findings.append(finding(rule_id, hit))
    statement_checks = [(rule_id, check) for rule_id, check in STATEMENT_CHECKS.items() if rule_id in running]
    for query in context.queries:
        for rule_id, check in statement_checks:
            for hit in check(query, context.catalog):
                findings.append(finding(rule_id, hit, query.statement.span))
    forget_comparisons()  # what the checks worked out once for the file: it holds its trees
    forget_indexes()
    return sorted(set(findings), key=lambda f: (f.span.start, f.rank, f.rule, f.message))


def finding(rule_id: str, hit: Hit, fallback=None) -> Finding:
    doc = rule_docs()[rule_id]
    return Finding(
        rule=rule_id,
        category=doc.category,
        severity=hit.severity or doc.severity,
        message=hit.message,
        remediation=hit.remediation,
        objects=hit.objects,
        span=hit.span or fallback,
    )
