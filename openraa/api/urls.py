from rest_framework.routers import SimpleRouter

from openraa.api import views

router = SimpleRouter()
router.register("children", views.ChildViewSet, basename="child")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("councils", views.CouncilViewSet, basename="council")
router.register("agencies", views.AgencyViewSet, basename="agency")
urlpatterns = router.urls
