"""Where a council paper contradicts itself, the README says which reading was taken and the demo
follows it (issue 19)."""

from pathlib import Path

from openraa.demo.generator import AGENCIES

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _readings() -> str:
    """The README's section on the readings taken, as plain words on one line."""
    section = README[README.index("### Where the councils' papers contradict themselves") :]
    return " ".join(section.replace("**", "").split())


def test_sefton_2021_names_two_hosts_and_knowsley_is_taken():
    """Sefton 2021, 3.1: "Knowsley is the host authority", but under Resource Implications: "There
    are no resource implications as the service hosted by Wirral council"."""
    section = _readings()
    assert "hosted by Wirral council" in section and "Knowsley is taken as host" in section
    assert AGENCIES["aim"].host == "Knowsley"


def test_sefton_2018_says_eight_workstreams_and_lists_nine():
    """Sefton 2018, 2.1: "The programme has been managed through eight separate work streams",
    followed by a table of nine workstreams."""
    assert "The table's nine are taken" in _readings()
