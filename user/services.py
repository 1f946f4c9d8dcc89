"""Writes that touch more than one row or more than the database (files, tokens).

Each is a keyword-only function named `<entity>_<action>`, runs in one transaction, and
raises Django's `ValidationError` (a `400` through the project's exception handler) for a
rule that only the database can check at the moment of writing.
"""

import re
import secrets
import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from knox.models import AuthToken

from social_media.db import insert_or_nothing
from social_media.files import delete_files_on_commit

from .models import Follow, User

EMAIL_TAKEN = "A user with that email already exists."
USERNAME_TAKEN = "A user with that username already exists."
CANNOT_FOLLOW_SELF = "You cannot follow yourself."


def username_from_email(email: str) -> str:
    """A free username derived from the email's local part (`Ada.L+x@…` → `adal`, `adal_7f3a`…)."""
    base = re.sub(r"[^A-Za-z0-9_]", "", email.split("@", 1)[0].split("+", 1)[0])[:24]
    base = (base or "user").ljust(3, "_")
    candidate = base
    while User.objects.filter(username__iexact=candidate).exists():
        candidate = f"{base}_{secrets.token_hex(2)}"
    return candidate


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
        chosen = username or username_from_email(email)
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


def user_change_password(*, user: User, new_password: str, keep_token: AuthToken) -> None:
    """Set the password and end every other session: a thief's token dies with the old one."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        AuthToken.objects.filter(user=user).exclude(pk=keep_token.pk).delete()


# --- Profile and avatar -----------------------------------------------------------------


def user_update_profile(*, user: User, fields: dict, avatar: ContentFile | None = None) -> User:
    """Update profile fields and, when given, replace the avatar with an already-processed file.

    The previous avatar file is deleted only once the new row is committed, so a failed
    save never leaves the user pointing at a missing file.
    """
    old_avatar = user.avatar.name
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
    try:
        with transaction.atomic():
            user.save(update_fields=update_fields)
            if avatar is not None:
                delete_files_on_commit([old_avatar], user.avatar.storage)
    except IntegrityError:
        if avatar is not None:
            user.avatar.storage.delete(user.avatar.name)
        raise _uniqueness_error(
            email=None, username=fields.get("username"), exclude_pk=user.pk
        ) from None
    return user


def user_remove_avatar(*, user: User) -> None:
    old_avatar = user.avatar.name
    if not old_avatar:
        return
    with transaction.atomic():
        user.avatar = ""
        user.save(update_fields=["avatar"])
        delete_files_on_commit([old_avatar], user.avatar.storage)


def user_delete(*, user: User) -> None:
    """Delete the account and everything it owns, then the files nobody can reach any more.

    Rows go by foreign-key cascade (tokens, follows both ways, posts, likes, comments,
    media, scheduled posts) in one transaction; files are not rows, so their names are
    collected first and deleted after the commit.
    """
    from post.models import Media, Post

    with transaction.atomic():
        # Lock the account and its posts before Django collects the cascade: a follow,
        # like or comment inserted meanwhile by someone else would otherwise reference a
        # row the delete no longer sees, and fail the whole transaction at commit.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        list(Post.objects.select_for_update().filter(author=user).values_list("pk", flat=True))
        media = Media.objects.filter(Q(owner=user) | Q(post__author=user))
        media_names = [name for pair in media.values_list("file", "thumbnail") for name in pair]
        avatar_name = user.avatar.name
        storage = user.avatar.storage
        media_storage = Media._meta.get_field("file").storage
        user.delete()
        delete_files_on_commit([avatar_name], storage)
        delete_files_on_commit(media_names, media_storage)


# --- Follows ----------------------------------------------------------------------------


def follow_create(*, follower: User, followee: User) -> bool:
    """Start following; True when this call created the follow, False when it existed.

    One statement (`insert_or_nothing`): concurrent duplicates and a racing unfollow need no
    retry. Call it outside a transaction, as the view does: an account deleted meanwhile then
    fails the follow's foreign key here, and becomes a 404.
    """
    if follower.pk == followee.pk:
        raise ValidationError({"non_field_errors": [CANNOT_FOLLOW_SELF]})
    try:
        return insert_or_nothing(
            Follow, unique=("follower", "followee"), follower=follower, followee=followee
        )
    except IntegrityError:
        if User.objects.filter(pk__in=[follower.pk, followee.pk]).count() == 2:
            raise
        raise Http404 from None


def follow_delete(*, follower: User, followee: User) -> None:
    Follow.objects.filter(follower=follower, followee=followee).delete()
