from django.urls import path

from rapport.consent import views

app_name = "consent"

urlpatterns = [
    path("clients/<int:pk>/", views.client_consent, name="client"),
    path("clients/<int:pk>/record/", views.client_consent_record, name="record"),
    path("clients/<int:pk>/send-link/", views.client_consent_link_send, name="send_link"),
    path("mine/<str:token>/", views.my_consents, name="mine"),
]
