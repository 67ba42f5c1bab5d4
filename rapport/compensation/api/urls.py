"""API routes of pay, included under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from rapport.compensation.api.views import (
    LineOverrideViewSet,
    LineQueryViewSet,
    PayPeriodViewSet,
    PlanVersionViewSet,
    PlanViewSet,
    SalaryBandViewSet,
    StatementViewSet,
    WhatIfView,
)

router = SimpleRouter()
router.register("pay/plans", PlanViewSet, basename="payplan")
router.register("pay/plan-versions", PlanVersionViewSet, basename="payplanversion")
router.register("pay/periods", PayPeriodViewSet, basename="payperiod")
router.register("pay/statements", StatementViewSet, basename="paystatement")
router.register("pay/queries", LineQueryViewSet, basename="payquery")
router.register("pay/overrides", LineOverrideViewSet, basename="payoverride")
router.register("pay/salary-bands", SalaryBandViewSet, basename="salaryband")

urlpatterns = [path("pay/whatif/", WhatIfView.as_view(), name="pay-whatif"), *router.urls]
