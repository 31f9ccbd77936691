"""The staff list's rules, without a database."""

from hypothesis import given
from hypothesis import strategies as st

from openraa.people.roles import Role
from openraa.staff import roster

COUNCILS = {"E08000011": "K", "knowsley": "K", "E08000012": "L", "liverpool": "L"}
HEADER = "first_name,last_name,email,roles,employing_council,starts_on\n"


def test_a_good_row_is_a_starter():
    starters, problems = roster.read(
        HEADER + "Ana,One,Ana@X.example,Family finder,knowsley,2026-04-01\n", COUNCILS, set()
    )
    assert problems == []
    (ana,) = starters
    assert (ana.email, ana.roles, ana.employing_council, ana.row) == ("ana@x.example", (Role.FAMILY_FINDER,), "K", 2)


def test_several_roles_and_a_team_and_base_by_name():
    text = "first_name,last_name,email,roles,employing_council,team,base\n"
    text += "Bo,Two,bo@x.example,Family finder; recruitment_assessment,K,Family Finding,Kent office\n"
    starters, problems = roster.read(text, COUNCILS | {"k": "K"}, set(), {"family finding": "T"}, {"kent office": "B"})
    assert problems == []
    (bo,) = starters
    assert (bo.roles, bo.team, bo.base) == ((Role.FAMILY_FINDER, Role.RECRUITMENT_ASSESSMENT), "T", "B")


def test_roles_one_person_may_not_hold_together_are_refused_on_their_line():
    text = HEADER + "Cy,Three,cy@x.example,adm;panel_adviser,K,\nDi,Four,di@x.example,wizard,K,\n"
    starters, problems = roster.read(text, COUNCILS | {"k": "K"}, set())
    assert starters == []
    assert [p.row for p in problems] == [2, 3]
    assert "panel adviser" in problems[0].reason and "'wizard'" in problems[1].reason


def test_the_same_address_twice_names_both_lines():
    text = HEADER + "A,One,a@x.example,adm,K,\nB,Two,A@x.example,adm,E08000011,\n"
    _, problems = roster.read(text, COUNCILS | {"k": "K"}, set())
    assert [p.row for p in problems] == [3] and "line 2" in problems[0].reason


def test_a_missing_column_is_one_problem_on_the_header():
    _, problems = roster.read("first_name,email\nA,a@x.example\n", COUNCILS, set())
    assert [p.row for p in problems] == [1] and "last_name" in problems[0].reason


@given(st.text(max_size=300))
def test_any_text_gives_starters_or_reasons_never_an_error(text):
    starters, problems = roster.read(text, COUNCILS, set())
    assert starters or problems
