"""How the documents lay out on paper: the Word chart and tables, the web page's print
styles, the plain text's line lengths (what QA saw in LibreOffice, Chromium and mail)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC
from pathlib import Path

from docx.oxml.ns import qn

from docxread import open_docx
from facilitate.events import (
    LifecycleTraitTicked,
    SegmentChanged,
    SessionEnded,
    TimerStarted,
)
from facilitate.export import render
from facilitate.export.docx_export import OVER, WITHIN
from minutesdays import odd_text, partnership_meeting, shared_solutions
from sessionfactory import start_session

SHORT_DAY = """[agenda]
title = "Short day"
[[segment]]
title = "Welcome"
duration = 1
[[segment]]
title = "A segment whose title is long enough to take two lines in the chart"
duration = 45
"""


def _fills(row: object) -> list[str]:
    fills = []
    for cell in row.cells:  # type: ignore[attr-defined]
        shading = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
        fills.append(shading.get(qn("w:fill")) if shading is not None else "")
    return fills


def test_docx_chart_shows_an_overrun_smaller_than_a_cell_and_stays_on_one_page(
    tmp_path: Path,
) -> None:
    day = start_session(tmp_path, "short-day", agenda_text=SHORT_DAY)
    day.record(TimerStarted)
    day.wait(1.5)  # 1m agreed, 1m30s run: "+1m", far less than one cell of a 45m scale
    day.record(SegmentChanged, segment=1, reason="next")
    day.wait(45)
    day.record(SessionEnded)
    document = open_docx(render("docx", day.load(), UTC, audience="facilitator"))
    chart = document.tables[-1]
    welcome, gap, long_one = chart.rows
    assert welcome.cells[0].text == "Welcome" and "+1m" in welcome.cells[-1].text
    assert OVER in _fills(welcome) and WITHIN in _fills(welcome)
    assert OVER not in _fills(long_one)
    # an empty row of exact, small height keeps two bars apart
    assert gap.cells[0].text == "" and set(_fills(gap)) == {""}
    height = gap._tr.trPr.find(qn("w:trHeight"))
    assert height.get(qn("w:hRule")) == "exact" and int(height.get(qn("w:val"))) <= 120
    # no row splits, and each keeps with the next, the last with the legend
    for row in chart.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        assert all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)


def test_docx_tables_keep_headings_dates_and_names_whole_and_rows_on_one_page(
    tmp_path: Path,
) -> None:
    shared = shared_solutions(tmp_path)
    document = open_docx(render("docx", shared, UTC))
    assert document.styles["Normal"].font.name == "Arial"  # Liberation Sans in LibreOffice
    actions = next(t for t in document.tables if t.rows[0].cells[1].text == "Action")
    widths = {cell.text: cell.width.cm for cell in actions.rows[0].cells}
    # 10.5 pt Arial: under 0.2 cm a character, and 0.38 cm of cell margins
    assert widths["Status"] >= 6 * 0.2 + 0.38
    assert widths["Due"] >= len("Thu 15 Jan 2026") * 0.2 + 0.38
    assert widths["Owner"] >= len("Dana Hughes") * 0.2 + 0.38
    assert widths["Action"] > widths["Status"]
    assert abs(sum(widths.values()) - 17.0) < 0.05
    for row in actions.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_html_tables_keep_headings_and_short_cells_on_one_line(tmp_path: Path) -> None:
    page = render("html", shared_solutions(tmp_path), UTC).decode()
    actions = page[page.index('<section id="actions">') :]
    actions = actions[: actions.index("</table>")]
    assert re.search(r'<th scope="col" width="[\d.]+%" nowrap[^>]*>Status</th>', actions)
    assert re.search(r"<td dir=\"auto\" nowrap[^>]*>Dana Hughes</td>", actions)
    assert re.search(r'<td dir="auto" style="[^"]*">Set up the first panel meeting</td>', actions)
    assert actions.count("<col width=") == 6


def test_facilitator_report_names_the_lifecycle_model_and_lists_signs_in_its_order(
    tmp_path: Path,
) -> None:
    day = start_session(tmp_path)
    day.record(TimerStarted)
    for stage, trait in (
        ("Implementation", "A launch is planned"),
        ("Preparation", "Possible partners have been listed"),
        ("Implementation", "Structures and processes are being put in place"),
    ):
        day.record(LifecycleTraitTicked, model="lifecycle-pdif", stage=stage, trait=trait,
                   checked=True, segment=0)  # fmt: skip
    report = render("md", day.load(), UTC, audience="facilitator").decode()
    assert "lifecycle-pdif" not in report
    assert "**Preparation to Fulfilment:** no stage marked" in report
    signs = [line for line in report.splitlines() if "Seen:" in line]
    assert [s.split("Seen: ")[1].split(" *(")[0] for s in signs] == [
        "Possible partners have been listed",
        "Structures and processes are being put in place",
        "A launch is planned",
    ]


def test_html_print_styles_keep_the_tables_right_border_on_the_page(tmp_path: Path) -> None:
    """Chromium printed a 100%-wide table's right border just off the page."""
    page = render("html", shared_solutions(tmp_path), UTC).decode()
    printed = page[page.index("@media print") : page.index("</style>")]
    width = re.search(r"table \{ width: ([\d.]+)% !important; \}", printed)
    assert width is not None and float(width.group(1)) < 100


def test_csv_names_owners_as_the_minutes_do_and_says_what_was_parked(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(render("csv", shared_solutions(tmp_path), UTC)
                                           .decode("utf-8-sig"))))  # fmt: skip
    assert list(rows[0])[-3:] == ["written_by", "owner_name", "parked"]  # new ones at the end
    charter = next(r for r in rows if r["text"].startswith("Draft a one-page repairs charter"))
    assert (charter["owner"], charter["owner_name"]) == ("Priya", "Priya Shah")
    assert {r["parked"] for r in rows} == {"yes", "no"}


def test_plain_text_is_wrapped_for_mail_and_the_roles_are_headed(tmp_path: Path) -> None:
    odd = render("txt", odd_text(tmp_path / "odd"), UTC).decode()
    assert max(len(line) for line in odd.splitlines()) <= 78  # a 2,000-character note too
    meeting = render("txt", partnership_meeting(tmp_path / "pm"), UTC).decode().splitlines()
    roles = meeting.index("Roles played:")
    assert meeting[roles - 2].startswith("Apologies:") and meeting[roles + 1].startswith("• ")
    assert meeting[meeting.index("WHO WAS THERE") + 2] == "Present:"
    assert "• Meet monthly, chaired by the partnership facilitator (Partnership meeting," in meeting
    assert "  Group 1)" in meeting  # wrapped under the bullet's text
