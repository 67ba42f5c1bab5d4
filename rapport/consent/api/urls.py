"""API routes of consent, included under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from rapport.consent.api.views import ClientConsentRecordViewSet, ClientConsentView, ConsentPurposeViewSet

router = SimpleRouter()
router.register("consent-purposes", ConsentPurposeViewSet, basename="consentpurpose")

urlpatterns = [
    *router.urls,
    path("clients/<int:client_pk>/consents/", ClientConsentView.as_view(), name="client-consents"),
    path(
        "clients/<int:client_pk>/consent-records/",
        ClientConsentRecordViewSet.as_view({"get": "list"}),
        name="client-consent-records",
    ),
]
