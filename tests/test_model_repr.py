"""The analysis model's relations and blocks refer to each other, and each relation of a view
holds the view's expanded blocks: the dataclass repr wrote out the whole statement for every
relation, megabytes for one view (a failing assertion that showed one took gigabytes). They are
written short, by name."""

from advisor.analysis import analyse
from advisor.analysis.views import ViewLibrary
from advisor.frontend.parse import read_script


def test_a_relation_a_block_and_a_column_are_written_by_name(catalog):
    (query,) = analyse(read_script("SELECT s.personID FROM v_AdHocStudent s WHERE s.endYear = 2026"), catalog,
                       ViewLibrary(catalog))
    (block,) = query.user_blocks
    assert repr(block.relations[0]) == "Relation('v_AdHocStudent s', view)"
    assert repr(block) == "Block(Select, ['v_AdHocStudent s'])"
    column = block.column_refs()[0]
    assert "Relation('v_AdHocStudent s', view)" in repr(column)
    assert len(repr(column)) < 1_000
