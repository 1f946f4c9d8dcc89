from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.settings import api_settings

from social_media.parsers import JSONParser
from social_media.throttling import ScopedRateThrottle

from . import openapi, services
from .filters import UserFilter, UserOrderingFilter, UserSearchFilter
from .lookup import user_pk_from_path
from .models import User
from .permissions import IsSelfOrReadOnly
from .serializers import (
    AvatarUploadSerializer,
    LoginSerializer,
    OwnUserSerializer,
    PasswordChangeSerializer,
    RegisterSerializer,
    RelationshipSerializer,
    RelationshipsQuerySerializer,
    TokenSerializer,
    UserSerializer,
)
from .throttling import (
    LoginAccountCeiling,
    LoginEmailThrottle,
    LoginIPThrottle,
    RegisterIPThrottle,
)

DEFAULT_THROTTLES = list(api_settings.DEFAULT_THROTTLE_CLASSES)

# Register and log in: no authentication, so a stale token in the client cannot stand in
# the way.
ANONYMOUS = {"authentication_classes": [], "permission_classes": [AllowAny]}

# A user's followers and followings: both newest follow first, paged on the follow's time
# (annotated as `followed_at`), not the user's; the list's own filters do not apply.
FOLLOW_LIST = {
    "detail": True,
    "methods": ["get"],
    "filter_backends": [],
    "cursor_ordering": ("-followed_at", "-id"),
}


def own_view_of(user: User) -> User:
    """The caller's account re-read with its counts, for a response after a write."""
    return User.objects.for_viewer(user).get(pk=user.pk)


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
        user = services.user_register(**serializer.validated_data)
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
        token, key = services.token_create(user=user)
        payload = {"token": key, "expires_at": token.expiry, "user": own_view_of(user)}
        return Response(TokenSerializer(payload, context=self.get_serializer_context()).data)

    @openapi.logout
    @action(detail=False, methods=["post"])
    def logout(self, request):
        services.user_logout(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @openapi.logout_all
    @action(detail=False, methods=["post"], url_path="logout-all")
    def logout_all(self, request):
        services.user_logout_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @openapi.password
    @action(detail=False, methods=["post"], serializer_class=PasswordChangeSerializer)
    def password(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_password_change(
            user=request.user,
            new_password=serializer.validated_data["new_password"],
            keep_token=request.auth,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@openapi.users
class UserViewSet(viewsets.GenericViewSet):
    """Profiles, search and follows. `{id}` is a user id or `me`, the caller."""

    serializer_class = UserSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, IsSelfOrReadOnly]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_regex = r"[^/]+"
    filter_backends = [DjangoFilterBackend, UserSearchFilter, UserOrderingFilter]
    filterset_class = UserFilter
    search_fields = ["username", "display_name", "bio"]
    # Follower lists are ordered by the follow, not the user; see `followers`/`following`.
    cursor_ordering = None
    # A new avatar is decoded like a media upload and shares its budget (`avatar_upload`, and
    # `update` with a multipart avatar, which older clients still send).
    throttle_scope = "media"

    def get_queryset(self):
        return User.objects.for_viewer(self.request.user)

    def get_throttles(self):
        throttles = super().get_throttles()
        # Only a request carrying an avatar file pays for a decode; editing a bio is no upload.
        # Reading FILES parses the body, which the view is about to do anyway.
        if self.action == "avatar_upload" or (
            self.action in ("update", "partial_update") and "avatar" in self.request.FILES
        ):
            throttles.append(ScopedRateThrottle())
        return throttles

    def get_serializer_class(self):
        if self.action in ("update", "partial_update") or (
            self.action == "retrieve" and self.is_self_lookup()
        ):
            return OwnUserSerializer
        return UserSerializer

    def is_self_lookup(self) -> bool:
        user = self.request.user
        lookup = self.kwargs.get("pk")
        return user.is_authenticated and (lookup == "me" or lookup == str(user.pk))

    def get_object(self):
        pk = user_pk_from_path(self.request, self.kwargs["pk"])
        user = get_object_or_404(self.get_queryset(), pk=pk)
        self.check_object_permissions(self.request, user)
        return user

    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def update(self, request, pk=None, partial=False):
        user = self.get_object()
        serializer = self.get_serializer(user, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        avatar = fields.pop("avatar", None)
        services.user_profile_update(user=user, fields=fields, avatar=avatar)
        return Response(self.get_serializer(own_view_of(user)).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        services.user_delete(user=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @openapi.avatar_delete
    @action(
        detail=True,
        methods=["delete"],
        # For the PUT below (a DELETE has no body): the one upload a generated client sends.
        parser_classes=[MultiPartParser],
    )
    def avatar(self, request, pk=None):
        services.user_avatar_delete(user=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @openapi.avatar_upload
    @avatar.mapping.put
    def avatar_upload(self, request, pk=None):
        user = self.get_object()
        serializer = AvatarUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_profile_update(
            user=user, fields={}, avatar=serializer.validated_data["avatar"]
        )
        return Response(
            OwnUserSerializer(own_view_of(user), context=self.get_serializer_context()).data
        )

    @openapi.follow
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def follow(self, request, pk=None):
        followee = self.get_object()
        created = services.follow_create(follower=request.user, followee=followee)
        return Response(
            UserSerializer(
                self.get_queryset().get(pk=followee.pk), context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @openapi.unfollow
    @follow.mapping.delete
    def unfollow(self, request, pk=None):
        services.follow_delete(follower=request.user, followee=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @openapi.followers
    @action(**FOLLOW_LIST)
    def followers(self, request, pk=None):
        return self.paginated(self.get_queryset().followers_of(self.get_object()))

    @openapi.following
    @action(**FOLLOW_LIST)
    def following(self, request, pk=None):
        return self.paginated(self.get_queryset().followed_by(self.get_object()))

    @openapi.relationships
    @action(
        detail=False,
        methods=["get"],
        permission_classes=[IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def relationships(self, request):
        """The caller's relationship with each account asked for, in the order asked; the
        ones the caller cannot see are left out."""
        query = RelationshipsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(query.validated_data["id"]))
        rows = self.get_queryset().filter(pk__in=ids).relationships_of(request.user)
        by_id = {row["id"]: row for row in rows}
        found = [by_id[pk] for pk in ids if pk in by_id]
        return Response(RelationshipSerializer(found, many=True).data)

    def paginated(self, users):
        page = self.paginate_queryset(users)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
