from django.urls import path

from rapport.compensation import plan_views, views

app_name = "compensation"

urlpatterns = [
    path("", views.period_list, name="periods"),
    path("mine/", views.my_pay, name="my_pay"),
    path("periods/open/", views.period_open, name="period_open"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:pk>/calculate/", views.period_calculate, name="period_calculate"),
    path("periods/<int:pk>/approve/", views.period_approve, name="period_approve"),
    path("periods/<int:pk>/export.csv", views.period_export, {"fmt": "csv"}, name="period_csv"),
    path("periods/<int:pk>/export.xlsx", views.period_export, {"fmt": "xlsx"}, name="period_xlsx"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path("statements/<int:pk>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("statements/<int:pk>/query/", views.line_query, name="line_query"),
    path("statements/<int:pk>/override/", views.line_override, name="line_override"),
    path("queries/<int:pk>/answer/", views.query_answer, name="query_answer"),
    path("plans/", plan_views.plan_list, name="plans"),
    path("plans/new/", plan_views.plan_edit, name="plan_create"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", plan_views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_pk>/versions/new/", plan_views.version_edit, name="version_create"),
    path("versions/<int:pk>/edit/", plan_views.version_edit, name="version_edit"),
    path("managers/", plan_views.manager_plans, name="manager_plans"),
    path("managers/<int:pk>/plan/", plan_views.manager_plan_set, name="manager_plan_set"),
    path("bands/", plan_views.band_list, name="bands"),
    path("bands/new/", plan_views.band_edit, name="band_create"),
    path("bands/<int:pk>/edit/", plan_views.band_edit, name="band_edit"),
    path("whatif/", plan_views.whatif, name="whatif"),
]
