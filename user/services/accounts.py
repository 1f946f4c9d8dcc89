"""Writes that touch more than one row or more than the database (files, tokens).

Each is a keyword-only function named `<entity>_<action>`, runs in one transaction, and
raises Django's `ValidationError` (a `400` through the project's exception handler) for a
rule that only the database can check at the moment of writing.
"""

import uuid
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from knox.models import AuthToken

from social_media.counters import counters_set
from social_media.files import delete_files_on_commit
from user.models import Follow, User, UserStats
from user.services.relationships import follow_requests_approve_all
from user.signals import account_activity_changed, account_deleting

EMAIL_TAKEN = "A user with that email already exists."
USERNAME_TAKEN = "A user with that username already exists."
# File names looked up per query by the orphaned-avatar cleanup.
ORPHAN_CHECK_BATCH_SIZE = 500
# An avatar file is written just before its row is saved: younger files may be in flight.
ORPHANED_AVATAR_MIN_AGE = timedelta(hours=1)


def _uniqueness_error(*, email: str | None, username: str | None, exclude_pk=None):
    """Which unique field a failed insert or update collided on, as a field error."""
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    if email and others.filter(email__iexact=email).exists():
        return ValidationError({"email": [EMAIL_TAKEN]})
    if username and others.filter(username__iexact=username).exists():
        return ValidationError({"username": [USERNAME_TAKEN]})
    return ValidationError({"non_field_errors": ["The account could not be saved; try again."]})


# --- Accounts and tokens ----------------------------------------------------------------


def user_register(*, email: str, password: str, username: str | None = None) -> User:
    email = email.strip().lower()
    # A derived username can lose a race to a concurrent registration; try a fresh one.
    attempts = 1 if username else 3
    for attempt in range(attempts):
        chosen = username or User.objects.free_username_for(email)
        try:
            with transaction.atomic():
                return User.objects.create_user(email=email, password=password, username=chosen)
        except IntegrityError:
            error = _uniqueness_error(email=email, username=chosen)
            is_username_clash = "username" in error.message_dict
            if username or not is_username_clash or attempt == attempts - 1:
                raise error from None
    raise AssertionError("unreachable")  # pragma: no cover


def token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new per-device token; the plain key is returned here once and stored only hashed."""
    with transaction.atomic():
        token, key = AuthToken.objects.create(user=user)
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return token, key


def user_logout(*, token: AuthToken) -> None:
    token.delete()


def user_logout_all(*, user: User) -> None:
    AuthToken.objects.filter(user=user).delete()


def user_password_change(*, user: User, new_password: str, keep_token: AuthToken) -> None:
    """Set the password and end every other session: a thief's token dies with the old one."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        AuthToken.objects.filter(user=user).exclude(pk=keep_token.pk).delete()


# --- Profile and avatar -----------------------------------------------------------------


def user_profile_update(*, user: User, fields: dict, avatar: ContentFile | None = None) -> User:
    """Update profile fields and, when given, replace the avatar with an already-processed file.

    The replaced avatar is the one the locked row holds at the moment of writing, not the one
    `user` was read with: of two uploads at once, the second replaces the first's file, and
    deletes it. That file goes only once the new row is committed, so a failed save never
    leaves the user pointing at a missing file.
    """
    for name, value in fields.items():
        setattr(user, name, value)
    update_fields = list(fields)
    if avatar is not None:
        # A random name: nothing from the client's file name reaches the storage path.
        name = uuid.uuid4().hex + PurePosixPath(avatar.name).suffix
        # Writes the file to storage now; undone below if the row cannot be saved.
        user.avatar.save(name, avatar, save=False)
        update_fields.append("avatar")
    if not update_fields:
        return user
    storage = user.avatar.storage
    try:
        with transaction.atomic():
            if avatar is not None:
                replaced = _locked_avatar_name(user)
                if replaced is None:
                    raise Http404  # the account was deleted meanwhile
                delete_files_on_commit([replaced], storage)
            user.save(update_fields=update_fields)
            if fields.get("is_private") is False:
                # Public now: nobody waits for an answer any more.
                follow_requests_approve_all(target=user)
    except IntegrityError:
        if avatar is not None:
            storage.delete(user.avatar.name)
        raise _uniqueness_error(
            email=None, username=fields.get("username"), exclude_pk=user.pk
        ) from None
    except Http404:
        storage.delete(user.avatar.name)
        raise
    return user


def user_avatar_delete(*, user: User) -> None:
    with transaction.atomic():
        removed = _locked_avatar_name(user)
        if not removed:
            return
        user.avatar = ""
        user.save(update_fields=["avatar"])
        delete_files_on_commit([removed], user.avatar.storage)


def _locked_avatar_name(user: User) -> str | None:
    """The avatar the account's row holds now, locked until the transaction ends, so a
    concurrent upload waits and then replaces (and deletes) what this one writes; `None`
    when the account is gone."""
    return (
        User.objects.select_for_update().filter(pk=user.pk).values_list("avatar", flat=True).first()
    )


def avatar_delete_orphans(*, older_than: datetime | None = None) -> int:
    """Delete files in the avatars folder written before `older_than` (by default,
    ORPHANED_AVATAR_MIN_AGE ago) that no account uses.

    Stragglers of a request that died between writing the file and committing the row, or
    of a race the row lock did not cover. A file younger than `older_than` may belong to an
    upload still being saved, so it is left alone. Returns how many files were deleted.
    """
    if older_than is None:
        older_than = timezone.now() - ORPHANED_AVATAR_MIN_AGE
    field = User._meta.get_field("avatar")
    storage, folder = field.storage, field.upload_to.rstrip("/")
    try:
        _, files = storage.listdir(folder)
    except FileNotFoundError:
        return 0
    candidates = [
        f"{folder}/{file}"
        for file in files
        if storage.get_modified_time(f"{folder}/{file}") < older_than
    ]
    deleted = 0
    for start in range(0, len(candidates), ORPHAN_CHECK_BATCH_SIZE):
        batch = candidates[start : start + ORPHAN_CHECK_BATCH_SIZE]
        used = set(User.objects.filter(avatar__in=batch).values_list("avatar", flat=True))
        for name in batch:
            if name not in used:
                storage.delete(name)
                deleted += 1
    return deleted


def auth_tokens_purge_expired() -> int:
    """Delete expired login tokens (refused already, see authentication.py); returns how many."""
    deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted


def user_delete(*, user: User) -> None:
    """Delete the account and everything it owns, then the files nobody can reach any more.

    Rows go by foreign-key cascade (tokens, follows both ways, and through the other apps'
    foreign keys posts, likes, comments, media, scheduled posts) in one transaction. Those
    apps lock and collect their part on `account_deleting`; files are not rows, so they are
    deleted after the commit.
    """
    with transaction.atomic():
        # The other apps' rows first (posts), then the account, so that no follow can be
        # inserted against it meanwhile. A like or comment checks its foreign keys at its
        # commit in the same order (its post, then the account it notifies), so the two
        # wait for each other instead of deadlocking.
        after_delete = [
            response
            for _, response in account_deleting.send(sender=User, user=user)
            if callable(response)
        ]
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        avatar_name = user.avatar.name
        storage = user.avatar.storage
        neighbours = _follow_neighbours(user)
        user.delete()
        counters_set(UserStats, neighbours)
        for recount in after_delete:
            recount()
        delete_files_on_commit([avatar_name], storage)


def _follow_neighbours(user: User) -> set[int]:
    """The accounts whose follower or following total counts a follow of `user`."""
    follows = Follow.objects.filter(Q(follower=user) | Q(followee=user))
    return {
        other
        for pair in follows.values_list("follower_id", "followee_id")
        for other in pair
        if other != user.pk
    }


@transaction.atomic
def user_activity_set(*, user: User, active: bool) -> None:
    """Suspend (`active=False`) or reinstate an account. A suspended account's tokens stop
    working at once (deleted), every read hides it and what it made, and what it did leaves
    the totals (follows here; likes, comments and reposts by the post app, told through
    `account_activity_changed`) until it is reinstated. Nothing is deleted."""
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    if not active:
        AuthToken.objects.filter(user=user).delete()
    counters_set(UserStats, _follow_neighbours(user))
    account_activity_changed.send(sender=User, user=user)
