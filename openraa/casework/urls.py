"""The same pages for each kind of record, each declaring its kind's grant (deny by default)."""

from typing import cast

from django.urls import path
from django.views import View

from openraa.casework import views
from openraa.casework.subjects import SUBJECTS

app_name = "casework"

# page name -> (view, route under /records/<slug>/<pk>/, the action the page needs)
PAGES: dict[str, tuple[type, str, str]] = {
    "note-add": (views.NoteAddView, "notes/new/", "change"),
    "note-correct": (views.NoteCorrectView, "notes/<int:note>/correct/", "change"),
    "documents": (views.DocumentsView, "documents/", "view"),
    "document-add": (views.DocumentAddView, "documents/new/", "change"),
    "version-add": (views.VersionAddView, "documents/<int:doc>/versions/new/", "change"),
    "download": (views.DownloadView, "documents/<int:doc>/versions/<int:number>/", "view"),
    "letters": (views.LettersView, "letters/", "change"),
}
# Pages only some kinds of record have.
ONLY_FOR = {"letters": {"households", "support"}, "print": {"children", "households"}}
PAGES["print"] = (views.PrintProfileView, "profile.pdf", "view")

urlpatterns = [path("document-timings/", views.TimingsView.as_view(), name="timings")] + [
    path(
        f"{subject.slug}/<int:pk>/{route}",
        cast(
            type[View],
            type(
                f"{view.__name__}For{subject.field.title()}",
                (view,),
                {"subject": subject, "permission": (subject.resource, action)},
            ),
        ).as_view(),
        name=f"{subject.slug}-{page}",
    )
    for subject in SUBJECTS.values()
    for page, (view, route, action) in PAGES.items()
    if subject.slug in ONLY_FOR.get(page, {subject.slug})
]
