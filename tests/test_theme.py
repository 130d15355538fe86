"""Every colour comes from the theme, and the chosen theme is kept for the next start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rich.color import Color

from apptools import make_app, settle, sync
from facilitate.settings import SETTINGS_FILE, read_settings
from facilitate.tui.run.agenda_list import AgendaList

SIZE = (120, 40)
ROOT = Path(__file__).resolve().parent.parent


def brightness(color: Color | None) -> float:
    assert color is not None, "every segment of a row has its background"
    r, g, b = color.get_truecolor()
    return (r + g + b) / 3


def row_backgrounds(table: AgendaList, y: int) -> set[Color | None]:
    return {seg.style.bgcolor if seg.style else None for seg in table.render_line(y)}


@sync
async def test_table_rows_take_the_themes_background(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "textual-light"
        await settle(pilot, app)
        table = app.screen.query_one(AgendaList)
        [light] = row_backgrounds(table, 3)  # a row that is not the cursor's
        assert brightness(light) > 200, "a light theme has light rows"
        app.theme = "textual-dark"
        await settle(pilot, app)
        [dark] = row_backgrounds(table, 3)
        assert brightness(dark) < 80, "and a dark one dark rows, drawn again at once"
        assert row_backgrounds(table, 30) == {dark}, "blank rows below the agenda too"


@sync
async def test_a_damaged_or_unknown_setting_starts_with_the_default_theme(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text('theme = "no-such-theme"\n')
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.theme == "textual-dark"
    (tmp_path / SETTINGS_FILE).write_text("theme = [broken\n")
    assert read_settings(make_app(tmp_path)[0].paths) == {}


@sync
async def test_the_settings_file_is_private(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await settle(pilot, app)
    assert (tmp_path / SETTINGS_FILE).stat().st_mode & 0o777 == 0o600
    assert read_settings(app.paths) == {"theme": "nord"}


def test_textual_run_finds_an_app_factory(tmp_path: Path) -> None:
    """`textual run --dev facilitate.tui.app:app` imports `app` and calls it (as
    textual-dev's runner does), with the command's arguments in sys.argv."""
    code = (
        "import sys\n"
        "from textual.app import App\n"
        "from facilitate.tui.app import app, FacilitateApp\n"
        "made = app() if not isinstance(app, App) else app\n"
        "assert isinstance(made, FacilitateApp), made\n"
        "print(made.mode)\n"
        "sys.argv[1:] = ['sample-programme']\n"
        "made = app()\n"
        "print(made.mode, made.agenda.name)\n"
    )
    env = {**os.environ, "FACILITATE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:2] == ["launcher", "run sample-programme"]


@sync
async def test_python_side_colours_follow_the_theme(tmp_path: Path) -> None:
    """Rich renderables (panel rows, table cells) take ``$variables`` from the live theme."""
    from facilitate.tui.styles import rich_style

    app, _ = make_app(tmp_path)
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        for theme in ("textual-light", "nord"):
            app.theme = theme
            await settle(pilot, app)
            colour = rich_style("bold $primary").color
            assert colour is not None
            wanted = Color.parse(app.get_css_variables()["primary"])
            assert colour.get_truecolor() == wanted.get_truecolor()
            seen.append(colour.get_truecolor())
    assert seen[0] != seen[1]


def colours(renderable: object) -> set[tuple[int, int, int]]:
    """Every colour a Rich renderable (Text, or a grid of them) is drawn in."""
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    found: set[tuple[int, int, int]] = set()
    if isinstance(renderable, Text):
        styles = [renderable.style, *(span.style for span in renderable.spans)]
        for style in styles:
            if isinstance(style, Style) and style.color is not None:
                r, g, b = style.color.get_truecolor()
                found.add((r, g, b))
    elif isinstance(renderable, Table):
        for column in renderable.columns:
            for cell in column.cells:
                found |= colours(cell)
    return found


@sync
async def test_panel_rows_take_the_new_themes_colours(tmp_path: Path) -> None:
    """A panel's rows are Rich text coloured when drawn: a theme change draws them again."""
    from textual.widgets import OptionList

    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await app.screen.run_action("panel('lifecycle')")
        await settle(pilot, app)
        await pilot.press("x")  # mark the highlighted stage: drawn in the theme's success
        await settle(pilot, app)

        def drawn() -> set[tuple[int, int, int]]:
            options = app.screen.query_one("#panel-lifecycle").query_one(OptionList)
            found: set[tuple[int, int, int]] = set()
            for index in range(options.option_count):
                found |= colours(options.get_option_at_index(index).prompt)
            return found

        app.theme = "textual-light"
        await settle(pilot, app)
        light = drawn()
        app.theme = "nord"
        await settle(pilot, app)
        nord = drawn()
    success = Color.parse("#A3BE8C").get_truecolor()  # nord's success green
    assert light and tuple(success) in nord and light != nord


def test_a_damaged_settings_file_is_named_with_what_is_wrong(tmp_path: Path) -> None:
    from apptools import make_paths
    from facilitate.settings import settings_warnings

    paths = make_paths(tmp_path)
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    settings = paths.config_dir / SETTINGS_FILE
    themes = ["textual-dark", "textual-light"]
    assert settings_warnings(paths, themes) == []  # no file: the defaults, nothing to say
    settings.write_text('theme = "no-such-theme"\ncolour = 1\n')
    warnings = settings_warnings(paths, themes)
    assert any("unknown setting 'colour'" in w for w in warnings)
    assert any(
        "'no-such-theme' is not a theme here" in w and "textual-light" in w for w in warnings
    )
    settings.write_text("theme = [\n")
    (broken,) = settings_warnings(paths, themes)
    assert SETTINGS_FILE in broken and "Invalid value" in broken and "defaults are used" in broken
    settings.write_text('theme = "textual-light"\n')
    assert settings_warnings(paths, themes) == []


@sync
async def test_the_app_says_when_settings_toml_is_not_used(tmp_path: Path) -> None:
    from apptools import make_paths, record_notifications

    paths = make_paths(tmp_path)
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    (paths.config_dir / SETTINGS_FILE).write_text("theme = 42\n")
    app, _ = make_app(tmp_path)
    toasts = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert any("theme 42 is not a theme here" in t for t in toasts)
