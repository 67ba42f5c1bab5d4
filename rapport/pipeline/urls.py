from django.urls import path

from rapport.pipeline import views

app_name = "pipeline"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.prospect_create, name="prospect_create"),
    path("opportunities/new/", views.opportunity_create, name="create"),
    path("funnel/", views.funnel, name="funnel"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/undo-win/", views.undo_win, name="undo_win"),
]
