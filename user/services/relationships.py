"""Follows, follow requests, blocks and mutes: the writes between two accounts.

Each write between a pair takes the pair's lock first (`pair_lock`), so a block racing a
follow, or an approval racing a withdrawal, runs one after the other and leaves one state.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404

from notifications.models import NotificationType
from notifications.services import notification_create, notification_withdraw
from social_media.counters import counter_add, counters_set
from social_media.db import insert_or_nothing, pair_lock
from user.models import (
    Block,
    Follow,
    FollowRequest,
    Mute,
    User,
    UserStats,
    relations_forget,
)
from user.signals import accounts_blocked

CANNOT_FOLLOW_SELF = "You cannot follow yourself."
CANNOT_BLOCK_SELF = "You cannot block yourself."
CANNOT_MUTE_SELF = "You cannot mute yourself."
UNBLOCK_FIRST = "You block this account; unblock it to follow it."

FOLLOWED, ALREADY_FOLLOWING, REQUESTED = "followed", "already_following", "requested"


def between(first: User, second: User, *, a: str, b: str) -> Q:
    """Rows of a pair model linking the two accounts, either way round."""
    return Q(**{a: first, b: second}) | Q(**{a: second, b: first})


def block_between(first_id: int, second_id: int) -> Block | None:
    return (
        Block.objects.filter(
            Q(blocker_id=first_id, blocked_id=second_id)
            | Q(blocker_id=second_id, blocked_id=first_id)
        )
        .only("blocker_id")
        .first()
    )


def pair_check_not_blocked(*, actor_id: int, other_id: int) -> None:
    """Refuse a write across a block, inside the pair's lock: a 404 to the blocked account
    (the blocker does not exist for it), a 403 to the blocker (who sees the other)."""
    block = block_between(actor_id, other_id)
    if block is None:
        return
    if block.blocker_id == other_id:
        raise Http404("No user with this id.")
    raise PermissionDenied(UNBLOCK_FIRST)


def _missing_account_is_404(function):
    """An account deleted meanwhile fails a foreign key at the commit: a 404, as if the
    request had come a moment later."""

    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except IntegrityError:
            accounts = {value.pk for value in kwargs.values() if isinstance(value, User)}
            if transaction.get_connection().in_atomic_block or User.objects.filter(
                pk__in=accounts
            ).count() == len(accounts):
                raise
            raise Http404("No user with this id.") from None

    wrapper.__doc__, wrapper.__name__ = function.__doc__, function.__name__
    return wrapper


# --- Follows and follow requests --------------------------------------------------------


def _follow_counted(follower_id: int, followee_id: int, delta: int) -> None:
    """Both totals of a follow that began (1) or ended (-1), in its transaction. Ordered by
    id, so two follows between the same accounts lock their rows in the same order."""
    for user_id, name in sorted(
        [(follower_id, "following_count"), (followee_id, "followers_count")]
    ):
        counter_add(UserStats, user_id, **{name: delta})


@_missing_account_is_404
def follow_create(*, follower: User, followee: User) -> str:
    """Follow `followee`, or ask to when the account is private. Returns FOLLOWED when this
    call created the follow, ALREADY_FOLLOWING when it existed, REQUESTED when a request is
    pending (new or not). Call it outside a transaction, as the view does."""
    if follower.pk == followee.pk:
        raise ValidationError({"non_field_errors": [CANNOT_FOLLOW_SELF]})
    relations_forget(follower, followee)
    with transaction.atomic():
        pair_lock(follower.pk, followee.pk)
        pair_check_not_blocked(actor_id=follower.pk, other_id=followee.pk)
        if Follow.objects.filter(follower=follower, followee=followee).exists():
            return ALREADY_FOLLOWING
        # The account's row, locked against a profile edit: going public approves the pending
        # requests, so a request written meanwhile would be left behind.
        is_private = (
            User.objects.select_for_update(no_key=True)
            .filter(pk=followee.pk, is_active=True)
            .values_list("is_private", flat=True)
            .first()
        )
        if is_private is None:
            raise Http404("No user with this id.")
        if is_private:
            if insert_or_nothing(
                FollowRequest, unique=("target", "requester"), requester=follower, target=followee
            ):
                notification_create(
                    recipient_id=followee.pk,
                    type=NotificationType.FOLLOW_REQUEST,
                    actor_id=follower.pk,
                )
            return REQUESTED
        created = insert_or_nothing(
            Follow, unique=("follower", "followee"), follower=follower, followee=followee
        )
        if created:
            _follow_counted(follower.pk, followee.pk, 1)
            notification_create(
                recipient_id=followee.pk, type=NotificationType.FOLLOW, actor_id=follower.pk
            )
        return FOLLOWED if created else ALREADY_FOLLOWING


@transaction.atomic
def follow_delete(*, follower: User, followee: User) -> None:
    """Unfollow, or withdraw a pending request. Idempotent; the unread notification of
    either goes with it."""
    relations_forget(follower, followee)
    pair_lock(follower.pk, followee.pk)
    deleted, _ = Follow.objects.filter(follower=follower, followee=followee).delete()
    _follow_counted(follower.pk, followee.pk, -deleted)
    FollowRequest.objects.filter(requester=follower, target=followee).delete()
    for type in (NotificationType.FOLLOW, NotificationType.FOLLOW_REQUEST):
        notification_withdraw(recipient_id=followee.pk, type=type, actor_id=follower.pk)


def _follow_request_take(*, target: User, requester_id: int) -> None:
    """Delete the pending request, or a 404 when there is none (answered, withdrawn)."""
    deleted, _ = FollowRequest.objects.filter(target=target, requester_id=requester_id).delete()
    if not deleted:
        raise Http404("No follow request from this user.")
    notification_withdraw(
        recipient_id=target.pk, type=NotificationType.FOLLOW_REQUEST, actor_id=requester_id
    )


def _follow_accept(*, target: User, requester_id: int) -> None:
    if insert_or_nothing(
        Follow, unique=("follower", "followee"), follower_id=requester_id, followee=target
    ):
        _follow_counted(requester_id, target.pk, 1)
        notification_create(
            recipient_id=requester_id, type=NotificationType.FOLLOW_ACCEPTED, actor_id=target.pk
        )


@transaction.atomic
def follow_request_approve(*, target: User, requester_id: int) -> None:
    """The requester now follows `target`; a 404 when no such request is pending."""
    relations_forget(target)
    pair_lock(target.pk, requester_id)
    _follow_request_take(target=target, requester_id=requester_id)
    _follow_accept(target=target, requester_id=requester_id)


@transaction.atomic
def follow_request_reject(*, target: User, requester_id: int) -> None:
    pair_lock(target.pk, requester_id)
    _follow_request_take(target=target, requester_id=requester_id)


def follow_requests_approve_all(*, target: User) -> None:
    """Approve every pending request (an account going public). Inside the profile edit's
    transaction, which holds the account's row: no request can be added meanwhile."""
    for requester_id in FollowRequest.objects.filter(target=target).values_list(
        "requester_id", flat=True
    ):
        _follow_accept(target=target, requester_id=requester_id)
    FollowRequest.objects.filter(target=target).delete()


# --- Blocks and mutes --------------------------------------------------------------------


@_missing_account_is_404
def block_create(*, blocker: User, blocked: User) -> bool:
    """Block `blocked`; True when this call created the block.

    In one transaction under the pair's lock: the follows and follow requests between the
    two go, both ways, and the other apps remove their links between them
    (`accounts_blocked`). A follow, like or repost racing it either commits first and is
    removed here, or waits and is refused.
    """
    if blocker.pk == blocked.pk:
        raise ValidationError({"non_field_errors": [CANNOT_BLOCK_SELF]})
    relations_forget(blocker, blocked)
    with transaction.atomic():
        pair_lock(blocker.pk, blocked.pk)
        created = insert_or_nothing(
            Block, unique=("blocker", "blocked"), blocker=blocker, blocked=blocked
        )
        Follow.objects.filter(between(blocker, blocked, a="follower", b="followee")).delete()
        counters_set(UserStats, [blocker.pk, blocked.pk])
        FollowRequest.objects.filter(between(blocker, blocked, a="requester", b="target")).delete()
        accounts_blocked.send(sender=User, blocker=blocker, blocked=blocked)
        return created


def block_delete(*, blocker: User, blocked: User) -> None:
    """Only the blocker lifts a block (the blocked account cannot see the blocker)."""
    relations_forget(blocker, blocked)
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


@_missing_account_is_404
def mute_create(*, muter: User, muted: User) -> bool:
    if muter.pk == muted.pk:
        raise ValidationError({"non_field_errors": [CANNOT_MUTE_SELF]})
    relations_forget(muter, muted)
    return insert_or_nothing(Mute, unique=("muter", "muted"), muter=muter, muted=muted)


def mute_delete(*, muter: User, muted: User) -> None:
    relations_forget(muter, muted)
    Mute.objects.filter(muter=muter, muted=muted).delete()
