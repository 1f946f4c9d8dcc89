"""Profiles, search, follows, blocks and mutes: `/users/` and the actions on one user."""

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from social_media.parsers import JSONParser
from social_media.throttling import ScopedRateThrottle
from user import openapi
from user.filters import UserFilter, UserOrderingFilter, UserSearchFilter
from user.lookup import user_pk_from_path
from user.models import Follow, User
from user.permissions import IsSelfOrReadOnly
from user.serializers import (
    AvatarUploadSerializer,
    OwnUserSerializer,
    RelationshipSerializer,
    RelationshipsQuerySerializer,
    UserSerializer,
)
from user.services.accounts import user_avatar_delete, user_delete, user_profile_update
from user.services.relationships import (
    FOLLOWED,
    REQUESTED,
    block_create,
    block_delete,
    follow_create,
    follow_delete,
    mute_create,
    mute_delete,
)

# The answer to a follow: a new follow, an existing one, or a request to a private account.
FOLLOW_STATUS = {FOLLOWED: status.HTTP_201_CREATED, REQUESTED: status.HTTP_202_ACCEPTED}
CREATED_OR_EXISTING = {True: status.HTTP_201_CREATED, False: status.HTTP_200_OK}
# The actions on one account that find it although the caller blocks it: its profile, and
# what the caller can do about it (unblock, and the rest, which answer accordingly).
FINDS_BLOCKED = frozenset(
    {"retrieve", "follow", "unfollow", "block", "unblock", "mute", "unmute", "relationships"}
)

# A user's followers and followings: both newest follow first, paged on the follow's time
# (annotated as `followed_at`), not the user's; the list's own filters do not apply.
FOLLOW_LIST = {
    "detail": True,
    "methods": ["get"],
    "filter_backends": [],
    "cursor_ordering": ("-followed_at", "-id"),
}


def _account_mark(name: str, create, delete, *, docs: tuple):
    """`POST` and `DELETE /users/{id}/<name>/`, the actions of a relation the caller makes to
    another account (a follow, a block, a mute) and undoes: POST answers the account as the
    caller now sees it, with the status `create(caller, other)` returns; DELETE `204`
    whether or not there was one."""

    def mark(self, request, pk=None):
        other = self.get_object()
        return self.relationship_answer(other, create(request.user, other))

    def unmark(self, request, pk=None):
        delete(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    # DRF routes an action by its function's name: the view's attribute names.
    mark.__name__, unmark.__name__ = name, f"un{name}"
    mark_docs, unmark_docs = docs
    marked = mark_docs(
        action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])(mark)
    )
    return marked, unmark_docs(marked.mapping.delete(unmark))


def own_view_of(user: User) -> User:
    """The caller's account re-read with its counts, for a response after a write."""
    return User.objects.for_viewer(user).get(pk=user.pk)


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
        return User.objects.for_viewer(self.request.user, blocked=self.action in FINDS_BLOCKED)

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
        user_profile_update(user=user, fields=fields, avatar=avatar)
        return Response(self.get_serializer(own_view_of(user)).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        user_delete(user=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @openapi.avatar_delete
    @action(
        detail=True,
        methods=["delete"],
        # For the PUT below (a DELETE has no body): the one upload a generated client sends.
        parser_classes=[MultiPartParser],
    )
    def avatar(self, request, pk=None):
        user_avatar_delete(user=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @openapi.avatar_upload
    @avatar.mapping.put
    def avatar_upload(self, request, pk=None):
        user = self.get_object()
        serializer = AvatarUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_profile_update(user=user, fields={}, avatar=serializer.validated_data["avatar"])
        return Response(
            OwnUserSerializer(own_view_of(user), context=self.get_serializer_context()).data
        )

    def relationship_answer(self, user: User, answer: int) -> Response:
        """The other account as the caller now sees it, after a follow, block or mute."""
        return Response(self.get_serializer(self.get_queryset().get(pk=user.pk)).data, answer)

    follow, unfollow = _account_mark(
        "follow",
        lambda caller, other: FOLLOW_STATUS.get(
            follow_create(follower=caller, followee=other), status.HTTP_200_OK
        ),
        lambda caller, other: follow_delete(follower=caller, followee=other),
        docs=(openapi.follow, openapi.unfollow),
    )

    @openapi.followers
    @action(**FOLLOW_LIST)
    def followers(self, request, pk=None):
        user = self.get_object()
        return self.paginated(self.follow_list_of(user).followers_of(user))

    @openapi.following
    @action(**FOLLOW_LIST)
    def following(self, request, pk=None):
        user = self.get_object()
        return self.paginated(self.follow_list_of(user).followed_by(user))

    def follow_list_of(self, user: User):
        """A private account's follow lists are for itself and its followers: for anyone
        else the list is empty (the profile and its counts stay visible)."""
        viewer = self.request.user
        if not user.is_private or viewer.pk == user.pk:
            return self.get_queryset()
        if (
            viewer.is_authenticated
            and Follow.objects.filter(follower=viewer, followee=user).exists()
        ):
            return self.get_queryset()
        return self.get_queryset().none()

    block, unblock = _account_mark(
        "block",
        lambda caller, other: CREATED_OR_EXISTING[block_create(blocker=caller, blocked=other)],
        lambda caller, other: block_delete(blocker=caller, blocked=other),
        docs=(openapi.block, openapi.unblock),
    )
    mute, unmute = _account_mark(
        "mute",
        lambda caller, other: CREATED_OR_EXISTING[mute_create(muter=caller, muted=other)],
        lambda caller, other: mute_delete(muter=caller, muted=other),
        docs=(openapi.mute, openapi.unmute),
    )

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
