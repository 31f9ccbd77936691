"""The SSDA903 XML reader refuses document type declarations, entity expansion and external entities
anywhere in the document (issue 14: the old check read only the first 4 KB), with a clear reason
on the import's report, never a 500, and nothing imported."""

import io

import pytest

from openraa.children.models import Child
from openraa.interchange.models import ImportRun
from openraa.interchange.ssda903 import reading
from openraa.people.roles import Role
from tests import builders

# More than 4 KB before the declaration: a comment is allowed before the document type.
PADDING = b"<!-- " + b"x" * 5000 + b" -->\n"
CHILD = b"<Message><Children><CHILD><HEADER><CHILDID>&e;</CHILDID><SEX>F</SEX></HEADER></CHILD></Children></Message>"
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n'
    + PADDING
    + b'<!DOCTYPE Message [\n<!ENTITY a "lol">\n'
    + b"".join(
        b'<!ENTITY %s "%s">\n' % (chr(98 + i).encode(), (b"&" + chr(97 + i).encode() + b";") * 10) for i in range(8)
    )
    + b'<!ENTITY e "&i;">\n]>\n'
    + CHILD
)
EXTERNAL = (
    b'<?xml version="1.0"?>\n' + PADDING + b'<!DOCTYPE Message [\n<!ENTITY e SYSTEM "file:///etc/passwd">\n]>\n' + CHILD
)
EXTERNAL_DTD = (
    b'<?xml version="1.0"?>\n' + PADDING + b'<!DOCTYPE Message SYSTEM "http://example.invalid/x.dtd">\n<Message/>'
)


@pytest.mark.parametrize(
    "document", [BILLION_LAUGHS, EXTERNAL, EXTERNAL_DTD], ids=["billion-laughs", "external-entity", "external-dtd"]
)
def test_a_declaration_after_the_first_4_kb_is_refused(document):
    assert document.index(b"<!DOCTYPE") > 4096
    result = reading.read_return([("return.xml", document)])
    (problem,) = result.file_problems
    assert "document type declaration" in problem.reason and problem.file == "return.xml"
    assert result.rows == 0


@pytest.mark.django_db
@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_the_upload_page_refuses_it_with_the_reason_and_imports_nothing(aim, client_for, document):
    client = client_for(builders.user(Role.ADMINISTRATOR, aim))
    upload = io.BytesIO(document)
    upload.name = "return.xml"
    response = client.post(
        "/interchange/ssda903/", {"council": builders.council("Knowsley").pk, "year": "2024-25", "files": upload}
    )
    assert response.status_code in (200, 302, 400)
    run = ImportRun.objects.get()
    assert run.outcome == ImportRun.Outcome.REFUSED and "document type declaration" in run.report
    assert not Child.objects.exists() and "/etc/passwd" not in run.report and "root:" not in run.report
