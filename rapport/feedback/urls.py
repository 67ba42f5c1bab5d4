from django.urls import path

from rapport.feedback import views

app_name = "feedback"

urlpatterns = [
    path("rate/<str:token>/", views.rate, name="rate"),
]
