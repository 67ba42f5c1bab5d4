from django.urls import path

from rapport.assignment import views

app_name = "assignment"

urlpatterns = [
    path("clients/<int:pk>/assign/", views.assign, name="assign"),
    path("clients/<int:pk>/unassign/", views.unassign, name="unassign"),
]

from rapport.assignment import plan_views  # noqa: E402

urlpatterns += [
    path("plans/", plan_views.plan_list, name="plans"),
    path("plans/run/", plan_views.plan_run, name="plan_run"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("plans/<int:pk>/apply/", plan_views.plan_decide, {"decision": "apply"}, name="plan_apply"),
    path("plans/<int:pk>/discard/", plan_views.plan_decide, {"decision": "discard"}, name="plan_discard"),
    path("managers/<int:pk>/depart/", plan_views.depart, name="depart"),
    path("managers/<int:pk>/leave/", plan_views.leave, name="leave"),
]
