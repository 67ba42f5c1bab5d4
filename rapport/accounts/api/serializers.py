"""API token requests and answers."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rapport.core.serializers import StrictSerializer


class TokenRequestSerializer(StrictSerializer):
    """Username and password; the password is never echoed back."""

    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)

    def validate(self, attrs):
        # Django's own request goes to ``authenticate`` so that Axes counts the attempt and can mark a lockout.
        request = self.context["request"]._request
        user = authenticate(request, username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(_("Unable to log in with the given username and password."), "login")
        attrs["user"] = user
        return attrs


class TokenSerializer(StrictSerializer):
    """A new API token: shown once, stored only as a digest; it stops working at ``expiry``."""

    token = serializers.CharField()
    expiry = serializers.DateTimeField()
