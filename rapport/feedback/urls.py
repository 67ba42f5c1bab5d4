from django.urls import path

from rapport.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.rating_table, name="table"),
    path("mine/", views.my_ratings, name="mine"),
    path("managers/<int:pk>/", views.manager_ratings, name="manager"),
    path("rate/<str:token>/", views.rate, name="rate"),
]
