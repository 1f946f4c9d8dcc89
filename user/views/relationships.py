"""The caller's own lists of relationships: the accounts it blocks or mutes, and the
requests to follow it (with their answers)."""

from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from user import openapi
from user.lookup import user_pk_from_path
from user.models import User
from user.serializers import UserSerializer
from user.services.relationships import follow_request_approve, follow_request_reject


class OwnUserListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A list of accounts that only the caller has: no filters, newest first by default."""

    serializer_class = UserSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        return self.accounts(User.objects.for_viewer(self.request.user, blocked=True))

    def accounts(self, users):
        raise NotImplementedError


@openapi.blocks
class BlockedUserViewSet(OwnUserListViewSet):
    """`/users/me/blocks/`: the accounts the caller blocks, most recent block first."""

    cursor_ordering = ("-blocked_at", "-id")

    def accounts(self, users):
        return users.blocked_by(self.request.user)


@openapi.mutes
class MutedUserViewSet(OwnUserListViewSet):
    """`/users/me/mutes/`: the accounts the caller mutes, most recent mute first."""

    cursor_ordering = ("-muted_at", "-id")

    def accounts(self, users):
        return users.muted_by(self.request.user)


@openapi.follow_requests
class FollowRequestViewSet(OwnUserListViewSet):
    """`/follow-requests/`: the accounts asking to follow the caller, oldest request first,
    and the owner's answers. `{user_id}` is the requester."""

    cursor_ordering = ("requested_at", "id")
    lookup_url_kwarg = "user_id"

    def accounts(self, users):
        return users.requesting_to_follow(self.request.user)

    def requester_id(self) -> int:
        return user_pk_from_path(self.request, self.kwargs["user_id"])

    @openapi.follow_request_approve
    @action(detail=True, methods=["post"])
    def approve(self, request, user_id=None):
        follow_request_approve(target=request.user, requester_id=self.requester_id())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @openapi.follow_request_reject
    @action(detail=True, methods=["post"])
    def reject(self, request, user_id=None):
        follow_request_reject(target=request.user, requester_id=self.requester_id())
        return Response(status=status.HTTP_204_NO_CONTENT)
