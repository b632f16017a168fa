from advisor.frontend.batches import scan


def batch_texts(text):
    return [text[b.start : b.end].strip() for b in scan(text).batches]


def test_go_alone_on_its_line_separates_batches_in_any_case_with_a_count():
    text = "SELECT 1\nGO\nSELECT 2\n  go 3  \nSELECT 3\nGo -- done\nSELECT 4"
    assert batch_texts(text) == ["SELECT 1", "SELECT 2", "SELECT 3", "SELECT 4"]
    assert [b.repeat for b in scan(text).batches] == [1, 3, 1, 1]


def test_go_as_a_name_or_inside_strings_and_comments_does_not_separate():
    text = (
        "SELECT a AS go FROM t go\n"
        "SELECT 'x\nGO\ny'\n"
        "/* a /* nested\nGO\n*/ still a comment\nGO\n*/\n"
        "-- GO\n"
        "SELECT [go\nGO]\n"
    )
    assert len(scan(text).batches) == 1


def test_crlf_lines_are_handled():
    assert batch_texts("SELECT 1\r\nGO\r\nSELECT 2\r\n") == ["SELECT 1", "SELECT 2"]


def test_an_unclosed_string_runs_to_the_end_and_is_remembered():
    text = "SELECT 1\nGO\nSELECT 'open\nGO\nSELECT 3"
    batches = scan(text).batches
    assert len(batches) == 2
    assert batches[1].unclosed_at == text.index("'open")
    assert "no closing quote" in batches[1].unclosed_reason


def test_an_unclosed_block_comment_is_remembered():
    batch = scan("SELECT 1 /* forever").batches[0]
    assert batch.unclosed_at == 9 and "*/" in batch.unclosed_reason


def test_comments_are_collected_with_their_text():
    comments = scan("-- Author: Dana\nSELECT 1 /* a */").comments
    assert [(c.text, c.start) for c in comments] == [(" Author: Dana", 0), (" a ", 25)]


def test_sqlcmd_directives_are_found_at_the_start_of_a_line_only():
    text = (":setvar year 2026\n"
            "  :ON ERROR EXIT\n"
            "SELECT ':r not.sql'\n"
            ":r .\\part.sql\n"
            ":!! dir\n"
            "retry:\n"
            "SELECT 1 -- :setvar in a comment\n")
    found = [text[start:end] for start, end in scan(text).directives]
    assert found == [":setvar year 2026", "  :ON ERROR EXIT", ":r .\\part.sql", ":!! dir"]
