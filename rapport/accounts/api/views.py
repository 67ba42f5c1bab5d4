"""API tokens (django-rest-knox): obtain one with a username and password, revoke one or all of them.

Only a SHA-512 digest of each token is stored; a token expires after REST_KNOX["TOKEN_TTL"].
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox import views as knox_views
from rest_framework.permissions import AllowAny

from rapport.accounts.api.serializers import TokenRequestSerializer, TokenSerializer


class TokenObtainView(knox_views.LoginView):
    """Exchange a username and password for a new API token (counted by the login lockout).

    A user holds at most 20 unexpired tokens (REST_KNOX setting); revoke old ones to get more.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(description="Too many failed attempts for this username from this address."),
        },
        auth=[],
        summary="Obtain an API token",
    )
    def post(self, request, format=None):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        request.user = serializer.validated_data["user"]
        return super().post(request, format)


class TokenRevokeView(knox_views.LogoutView):
    """Revoke the token this request is authenticated with."""

    @extend_schema(request=None, responses={204: None}, summary="Revoke this API token")
    def post(self, request, format=None):
        return super().post(request, format)


class TokenRevokeAllView(knox_views.LogoutAllView):
    """Revoke every API token of the caller."""

    @extend_schema(request=None, responses={204: None}, summary="Revoke all of the caller's API tokens")
    def post(self, request, format=None):
        return super().post(request, format)
