"""An agenda may list who is expected: ``[[participant]]`` tables, checked like the rest."""

from __future__ import annotations

import pytest

from facilitate.agenda import AgendaError, Participant, parse_agenda

HEAD = '[agenda]\ntitle = "Day"\n\n[[segment]]\ntitle = "Only"\nduration = 30\n'


def test_participants_are_read_in_order() -> None:
    text = HEAD + (
        '\n[[participant]]\nname = "Priya  Shah"\norganisation = "Riverside Council"\n'
        'role = "Chair"\n\n[[participant]]\nname = "Sam Jones"\n'
    )
    agenda = parse_agenda(text, file="day.toml", name="day")
    assert agenda.participants == (
        Participant("Priya Shah", "Riverside Council", "Chair"),
        Participant("Sam Jones"),
    )


@pytest.mark.parametrize(
    ("extra", "where", "message"),
    [
        ('\n[[participant]]\norganisation = "x"\n', (8, 1),
         "participant 1: missing required key 'name'"),
        ('\n[[participant]]\nname = "A"\norg = "x"\n', (10, 1), "participant 1: unknown key 'org'"),
        ('\n[[participant]]\nname = 3\n', (9, 8), "participant 1: 'name' must be a string"),
        ('\n[[participant]]\nname = "A"\n\n[[participant]]\nname = "a"\n', (12, 8),
         "participant 2: 'a' is already listed as participant 1"),
    ],
)  # fmt: skip
def test_problems_are_located(extra: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(AgendaError) as caught:
        parse_agenda(HEAD + extra, file="day.toml", name="day")
    (problem,) = caught.value.problems
    assert (problem.line, problem.col) == where
    assert message in problem.message


def test_participant_must_be_tables() -> None:
    with pytest.raises(AgendaError) as caught:
        parse_agenda('participant = "everyone"\n' + HEAD, file="day.toml", name="day")
    (problem,) = caught.value.problems
    assert (problem.line, problem.col) == (1, 1)
    assert "'participant' must be an array of tables" in problem.message
