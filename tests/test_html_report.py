"""The batch review's HTML report in a real browser (headless Chromium through chromedriver): it
renders, its counts match the JSON, it loads nothing from anywhere, and nothing from the input runs.

Needs the Debian packages chromium and chromium-driver; .ci/run installs them.
"""

import csv
import shutil
from collections import Counter

import pytest
from conftest import sqladvise

HOSTILE_NAME = "<script>document.title='pwned'</script>"
HOSTILE_OWNER = '<img src=x onerror="document.title=\'pwned\'">'
HOSTILE_SQL = "SELECT a.personID -- </pre><script>document.title='pwned'</script>\nFROM Attendance a"


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver_path, chromium = shutil.which("chromedriver"), shutil.which("chromium") or shutil.which("chromium-browser")
    assert driver_path and chromium, "the HTML report's test needs chromium and chromedriver (Debian: chromium chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    with (folder / "filters.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "owner", "kind", "sql", "box_a", "box_b"])
        writer.writerow([HOSTILE_NAME, HOSTILE_OWNER, "sql", HOSTILE_SQL, "", ""])
        writer.writerow(["Schools", "Dana Whitfield", "sql", "SELECT sch.name FROM School sch", "", ""])
        writer.writerow(["Absent", "Robert Kline", "passthrough", "", "JOIN Attendance a ON a.personID = student.personID",
                         "AND a.status = 'A'"])
        writer.writerow(["Broken", "Robert Kline", "report", "SELECT 1", "", ""])
    # no author in its header: a finding on the file's own line 1 beside findings in box A
    (folder / "no_author.sql").write_text("-- Absent today\n-- box a\nJOIN Attendance a ON a.personID = student.personID\n")
    run = sqladvise("batch", "--report", "report.html", "filters.csv", "no_author.sql", cwd=folder)
    assert run.code in (1, 2), run.stderr
    return folder / "report.html", run.json()


def test_the_report_renders_and_its_counts_match_the_json(browser, review):
    from selenium.webdriver.common.by import By

    path, document = review
    browser.get(path.as_uri())
    summary = document["summary"]
    assert browser.title == f"sqladvise review of {summary['filters']} filters"

    def count(key: str) -> int:
        return int(browser.find_element(By.CSS_SELECTOR, f'[data-count="{key}"]').text)

    assert count("filters") == summary["filters"] == 5
    assert count("checked") == summary["statuses"]["checked"] and count("bad input") == summary["statuses"]["bad input"]
    for band, number in summary["bands"].items():
        assert count(band) == number
    rules = Counter(f["rule"] for row in document["filters"] for f in row["findings"])
    for cell in browser.find_elements(By.CSS_SELECTOR, "[data-rule]"):
        assert int(cell.text) == rules[cell.get_attribute("data-rule")]
    assert len(browser.find_elements(By.CSS_SELECTOR, "article.filter")) == 5
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) == 2
    assert "Box A" in browser.find_element(By.TAG_NAME, "body").text


def test_nothing_from_the_input_runs_and_nothing_is_loaded(browser, review):
    from selenium.webdriver.common.by import By

    path, _ = review
    browser.get(path.as_uri())
    assert "pwned" not in browser.title
    assert browser.find_elements(By.TAG_NAME, "script") == [] and browser.find_elements(By.TAG_NAME, "img") == []
    text = browser.find_element(By.TAG_NAME, "body").text
    assert HOSTILE_NAME in text and HOSTILE_OWNER in text and "</pre><script>" in text  # shown as the text it is
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    html = path.read_text()
    assert "http://" not in html and "https://" not in html and "src=" not in html.replace("src=x", "")


def test_each_owner_gets_a_section_with_their_filters_and_the_ownership_note(browser, review):
    from selenium.webdriver.common.by import By

    path, _ = review
    browser.get(path.as_uri())
    sections = {s.find_element(By.TAG_NAME, "h2").text: s for s in browser.find_elements(By.CSS_SELECTOR, "section.owner")}
    assert set(sections) == {"Dana Whitfield", "Robert Kline", HOSTILE_OWNER, "No owner named"}
    kline = sections["Robert Kline"]
    assert "supported by its author, Robert Kline" in kline.text
    assert [a.find_element(By.TAG_NAME, "h3").text for a in kline.find_elements(By.CSS_SELECTOR, "article")] == ["Absent", "Broken"]
    assert "Not checked: unknown kind 'report'" in kline.text
    marked = kline.find_elements(By.CSS_SELECTOR, ".marked")
    assert marked and "JOIN Attendance a" in marked[0].text  # the line of box A the findings are on


def test_a_filter_that_never_ends_is_shown_so_not_as_a_time(browser, tmp_path):
    from selenium.webdriver.common.by import By

    with (tmp_path / "filters.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "owner", "kind", "sql", "box_a", "box_b"])
        writer.writerow(["Weeks", "Dana Whitfield", "sql",
                         "DECLARE @i int = 1\nWHILE @i <= 10\nBEGIN\n    INSERT INTO #weeks (n) VALUES (@i)\nEND\n", "", ""])
    run = sqladvise("batch", "--report", "report.html", "filters.csv", cwd=tmp_path)
    assert run.code == 1, run.stderr
    browser.get((tmp_path / "report.html").as_uri())
    (row,) = [row for row in browser.find_elements(By.CSS_SELECTOR, "tr") if "Weeks" in row.text]
    assert "never ends 100%" in row.text
    article = browser.find_element(By.CSS_SELECTOR, "article.filter").text
    assert "never ends, 100% chance of passing the 10 min timeout" in article
    assert "What drives the time: the WHILE loop on line 2 never ends (SH035)." in article
