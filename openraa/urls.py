from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from openraa.agency.first_run import FirstRunView
from openraa.drift.views import MyWorkView
from openraa.home import views
from openraa.people.middleware import public
from openraa.security import urls as security_urls
from openraa.security import views as security_views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    # Signing out also ends a single sign-on session at the council's provider (security/oidc.py).
    path("sign-out/", security_views.SignOutView.as_view(), name="logout"),
    path("health/", views.health, name="health"),
    path("setup/", FirstRunView.as_view(), name="first-run"),
    path("sign-in/", include("openraa.security.urls")),
    path("children/", include("openraa.children.urls")),
    path("households/", include("openraa.households.urls")),
    path("audit/", include("openraa.agency.audit_urls")),
    path("partnership/single-sign-on/", include(security_urls.provider_urlpatterns)),
    path("partnership/", include("openraa.agency.urls")),
    path("staff/", include("openraa.staff.urls")),
    path("drift/", include("openraa.drift.urls")),
    path("performance/", include("openraa.performance.urls")),
    path("", include("openraa.journeys.urls")),
    path("panels/", include("openraa.journeys.panel_urls")),
    path("", include("openraa.matching.urls")),
    path("interchange/", include("openraa.interchange.urls")),
    path("finance/", include("openraa.finance.urls")),
    path("support/", include("openraa.support.urls")),
    path("permanence/", include("openraa.permanence.urls")),
    path("simulation/", include("openraa.simulation.urls")),
    path("governance/", include("openraa.governance.urls")),
    path("records/", include("openraa.casework.urls")),
    path("adopt/", include("openraa.families.urls")),
    path("families/", include("openraa.families.staff_urls")),
    path("my-work/", MyWorkView.as_view(), name="my-work"),
    path("my-work/", include("openraa.casework.work_urls")),
    path("api/", include("openraa.api.urls")),
    # The API description is public: it describes fields, never records.
    path("api/schema/", public(SpectacularAPIView.as_view()), name="api-schema"),
    # Swagger UI comes from its CDN with an inline start-up script: the policy is widened on this
    # page only, which shows no record.
    path(
        "api/docs/",
        public(
            csp_update(
                {
                    "script-src": ["https://cdn.jsdelivr.net", "'unsafe-inline'"],
                    "style-src": ["https://cdn.jsdelivr.net", "'unsafe-inline'"],
                    "img-src": ["https://cdn.jsdelivr.net"],
                }
            )(SpectacularSwaggerView.as_view(url_name="api-schema"))
        ),
        name="api-docs",
    ),
]

handler403 = "openraa.home.views.forbidden"
handler404 = "openraa.home.views.not_found"
