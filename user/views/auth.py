"""Accounts and per-device tokens: register, log in, log out, change the password."""

from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from user import openapi
from user.models import User
from user.serializers import (
    LoginSerializer,
    OwnUserSerializer,
    PasswordChangeSerializer,
    RegisterSerializer,
    TokenSerializer,
)
from user.services.accounts import (
    token_create,
    user_logout,
    user_logout_all,
    user_password_change,
    user_register,
)
from user.throttling import (
    LoginAccountCeiling,
    LoginEmailThrottle,
    LoginIPThrottle,
    RegisterIPThrottle,
)
from user.views.users import own_view_of

DEFAULT_THROTTLES = list(api_settings.DEFAULT_THROTTLE_CLASSES)

# Register and log in: no authentication, so a stale token in the client cannot stand in
# the way.
ANONYMOUS = {"authentication_classes": [], "permission_classes": [AllowAny]}


class AuthViewSet(viewsets.GenericViewSet):
    """Accounts and per-device tokens. Nothing here reads or lists users."""

    queryset = User.objects.none()
    serializer_class = RegisterSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    @openapi.register
    @action(
        detail=False,
        methods=["post"],
        serializer_class=RegisterSerializer,
        **ANONYMOUS,
        throttle_classes=[*DEFAULT_THROTTLES, RegisterIPThrottle],
    )
    def register(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_register(**serializer.validated_data)
        return Response(
            OwnUserSerializer(own_view_of(user), context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @openapi.login
    @action(
        detail=False,
        methods=["post"],
        serializer_class=LoginSerializer,
        **ANONYMOUS,
        throttle_classes=[
            *DEFAULT_THROTTLES,
            LoginIPThrottle,
            LoginEmailThrottle,
            LoginAccountCeiling,
        ],
    )
    def login(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, key = token_create(user=user)
        payload = {"token": key, "expires_at": token.expiry, "user": own_view_of(user)}
        return Response(TokenSerializer(payload, context=self.get_serializer_context()).data)

    @openapi.logout
    @action(detail=False, methods=["post"])
    def logout(self, request):
        user_logout(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @openapi.logout_all
    @action(detail=False, methods=["post"], url_path="logout-all")
    def logout_all(self, request):
        user_logout_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @openapi.password
    @action(detail=False, methods=["post"], serializer_class=PasswordChangeSerializer)
    def password(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_password_change(
            user=request.user,
            new_password=serializer.validated_data["new_password"],
            keep_token=request.auth,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
