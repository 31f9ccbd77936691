from rest_framework.routers import SimpleRouter

from openraa.api import views

router = SimpleRouter()
router.register("children", views.ChildViewSet, basename="child")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("councils", views.CouncilViewSet, basename="council")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("support-cases", views.SupportCaseViewSet, basename="support-case")
router.register("carers", views.CarerViewSet, basename="carer")
router.register("permanence-plans", views.PermanencePlanViewSet, basename="permanence-plan")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("documents", views.DocumentViewSet, basename="document")
urlpatterns = router.urls
