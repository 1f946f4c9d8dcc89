"""Validation and representation of accounts; the writes themselves live in `services`."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator, URLValidator
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from social_media.db import MAX_ID
from social_media.exceptions import item_errors_as_messages
from social_media.images import process_image
from social_media.openapi import request_example, response_example

from .models import USERNAME_PATTERN, User
from .services.accounts import EMAIL_TAKEN, USERNAME_TAKEN

USERNAME_RULE = "3 to 30 characters: letters, digits and underscores only."
BAD_CREDENTIALS = "Unable to log in with the provided email and password."
# Long enough for any passphrase, short enough that hashing it costs nothing unusual.
PASSWORD_MAX_LENGTH = 128
AVATAR_MAX_SIDE = 512
PROFILE_FIELDS = ("username", "display_name", "bio", "avatar", "location", "website")
EDITABLE_PROFILE_FIELDS = (*PROFILE_FIELDS, "is_private")
VIEWER_FLAGS = ("is_following", "follows_you", "is_blocking", "is_muting", "follow_requested")


def username_field(**kwargs):
    return serializers.CharField(
        max_length=30,
        validators=[RegexValidator(USERNAME_PATTERN, USERNAME_RULE)],
        **kwargs,
    )


def password_field(**kwargs):
    return serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=PASSWORD_MAX_LENGTH,
        style={"input_type": "password"},
        **kwargs,
    )


def check_password_rules(password: str, user: User) -> None:
    """Django's validators, with the user so a password resembling the email is refused."""
    try:
        validate_password(password, user)
    except DjangoValidationError as error:
        raise serializers.ValidationError(list(error.messages)) from None


def viewer_flag(help_text: str):
    """One of `VIEWER_FLAGS`: null when anonymous, as there is nobody to follow or block."""
    return serializers.BooleanField(read_only=True, allow_null=True, help_text=help_text)


# --- Representations --------------------------------------------------------------------


USER_EXAMPLE = {
    "id": 42,
    "username": "ada_l",
    "display_name": "Ada Lovelace",
    "bio": "Notes on the Analytical Engine. Poetical science.",
    "avatar": "https://api.example.com/media/avatars/3f2c9a1e6b0d4c5e8f7a2b1c0d9e8f7a.jpg",
    "location": "London",
    "website": "https://ada.example.org",
    "date_joined": "2026-10-02T09:30:12.418Z",
    "followers_count": 128,
    "following_count": 64,
    "posts_count": 17,
    "is_private": False,
    "is_following": True,
    "follows_you": False,
    "is_blocking": False,
    "is_muting": False,
    "follow_requested": False,
}
OWN_USER_EXAMPLE = {
    **USER_EXAMPLE,
    "email": "ada@example.org",
    "is_following": False,
    "follows_you": False,
    "follow_requested": False,
}


@extend_schema_serializer(examples=[response_example("User", USER_EXAMPLE)])
class UserSerializer(serializers.ModelSerializer):
    """A user as anyone sees them. Counts and flags are annotations of `for_viewer`."""

    avatar = serializers.ImageField(
        read_only=True, allow_null=True, use_url=True, help_text="Absolute URL, or null."
    )
    # A string, not `format: uri`: an unset website is "", which is not a URI.
    website = serializers.CharField(read_only=True, help_text="An http(s) URL, or empty.")
    followers_count = serializers.IntegerField(read_only=True)
    following_count = serializers.IntegerField(read_only=True)
    posts_count = serializers.IntegerField(read_only=True)
    is_following = viewer_flag("You follow this user (null when anonymous).")
    follows_you = viewer_flag("This user follows you (null when anonymous).")
    is_blocking = viewer_flag("You block this user (null when anonymous).")
    is_muting = viewer_flag("You mute this user (null when anonymous).")
    follow_requested = viewer_flag(
        "Your request to follow this private account is pending (null when anonymous)."
    )
    is_private = serializers.BooleanField(
        read_only=True,
        help_text="Posts and follow lists for approved followers only; following takes a request.",
    )

    class Meta:
        model = User
        fields = [
            "id",
            *PROFILE_FIELDS,
            "date_joined",
            "followers_count",
            "following_count",
            "posts_count",
            "is_private",
            *VIEWER_FLAGS,
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        request_example(
            "Edit the profile (JSON)",
            {
                "username": "ada_l",
                "display_name": "Ada Lovelace",
                "bio": "Notes on the Analytical Engine. Poetical science.",
                "location": "London",
                "website": "https://ada.example.org",
            },
        ),
        response_example("Own profile", OWN_USER_EXAMPLE),
    ]
)
class OwnUserSerializer(UserSerializer):
    """The caller's own account: adds the email and takes profile edits.

    Only the fields listed as writable can change; `email`, `is_staff`, counts and anything
    else a client sends are ignored.
    """

    username = username_field(required=True)
    website = serializers.CharField(
        max_length=200,
        allow_blank=True,
        required=False,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="An http(s) URL, or empty.",
    )
    # A plain file on the way in: DRF's ImageField would open the upload with every format
    # Pillow knows and no pixel limit; `validate_avatar` decodes it with the allow-list.
    avatar = serializers.FileField(
        required=False,
        use_url=True,
        help_text=("Absolute URL, or null. To change it, use `PUT /api/v1/users/me/avatar/`."),
    )
    is_private = serializers.BooleanField(
        required=False,
        help_text=(
            "Posts and follow lists for approved followers only; making the account public "
            "approves every pending follow request."
        ),
    )

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields[:2], "email", *UserSerializer.Meta.fields[2:]]
        read_only_fields = [name for name in fields if name not in EDITABLE_PROFILE_FIELDS]

    def validate_username(self, username):
        others = User.objects.exclude(pk=self.instance.pk) if self.instance else User.objects
        if others.filter(username__iexact=username).exists():
            raise serializers.ValidationError(USERNAME_TAKEN)
        return username

    def validate_avatar(self, upload):
        return processed_avatar(upload)


def processed_avatar(upload):
    """The upload decoded with the allow-list and re-encoded as an avatar, or a 400 (a 413
    over `AVATAR_MAX_BYTES`)."""
    try:
        processed = process_image(
            upload,
            max_bytes=settings.AVATAR_MAX_BYTES,
            max_side=AVATAR_MAX_SIDE,
            max_pixels=settings.AVATAR_MAX_PIXELS,
        )
    except DjangoValidationError as error:
        raise serializers.ValidationError(list(error.messages)) from None
    return processed.file


@extend_schema_serializer(
    examples=[
        request_example("A photo", {"avatar": "(binary JPEG)"}, media_type="multipart/form-data")
    ]
)
class AvatarUploadSerializer(serializers.Serializer):
    avatar = serializers.FileField(
        help_text=(
            "A JPEG, PNG, WebP or GIF image; it is re-encoded without metadata and fitted "
            f"into {AVATAR_MAX_SIDE}x{AVATAR_MAX_SIDE}."
        )
    )

    def validate_avatar(self, upload):
        return processed_avatar(upload)


# --- Accounts and tokens ----------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        request_example(
            "With a username",
            {"email": "Ada@Example.org", "password": "analytical-engine-1843", "username": "ada_l"},
        ),
        request_example(
            "Username derived", {"email": "grace@example.org", "password": "cobol-and-nanoseconds"}
        ),
    ]
)
class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = password_field()
    username = username_field(
        required=False, help_text="Optional; derived from the email when omitted."
    )

    def validate_email(self, email):
        email = email.strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise serializers.ValidationError(EMAIL_TAKEN)
        return email

    def validate_username(self, username):
        if User.objects.filter(username__iexact=username).exists():
            raise serializers.ValidationError(USERNAME_TAKEN)
        return username

    def validate(self, attrs):
        candidate = User(email=attrs["email"], username=attrs.get("username", ""))
        try:
            check_password_rules(attrs["password"], candidate)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"password": error.detail}) from None
        return attrs


@extend_schema_serializer(
    examples=[
        request_example(
            "Credentials", {"email": "ada@example.org", "password": "analytical-engine-1843"}
        )
    ]
)
class LoginSerializer(serializers.Serializer):
    # A plain string: a malformed email gets the same answer as a wrong one.
    email = serializers.CharField(max_length=254)
    password = password_field()

    def validate(self, attrs):
        # `authenticate` hashes the password even for an unknown email (no timing oracle)
        # and refuses inactive users.
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["email"].strip().lower(),
            password=attrs["password"],
        )
        if user is None:
            raise serializers.ValidationError(BAD_CREDENTIALS, code="authorization")
        attrs["user"] = user
        return attrs


@extend_schema_serializer(
    examples=[
        response_example(
            "Token issued",
            {
                "token": "9f1c0e7d2b4a6c8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e",
                "expires_at": "2026-12-28T15:04:05.123456Z",
                "user": OWN_USER_EXAMPLE,
            },
        )
    ]
)
class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once.")
    expires_at = serializers.DateTimeField(allow_null=True)
    user = OwnUserSerializer()


@extend_schema_serializer(
    examples=[
        request_example(
            "Change",
            {"old_password": "analytical-engine-1843", "new_password": "bernoulli-numbers-note-g"},
        )
    ]
)
class PasswordChangeSerializer(serializers.Serializer):
    old_password = password_field()
    new_password = password_field()

    def validate_old_password(self, password):
        if not self.context["request"].user.check_password(password):
            raise serializers.ValidationError("The current password is not correct.")
        return password

    def validate_new_password(self, password):
        check_password_rules(password, self.context["request"].user)
        return password


RELATIONSHIPS_MAX_IDS = 40


def _distinct_messages(detail: dict) -> list[str]:
    # Each message once: the same one for several ids says it all.
    return sorted({str(message) for item in detail.values() for message in item})


class _IdListField(serializers.ListField):
    """A list whose bad items are reported as plain messages, `{"id": [message]}` like every
    other field error (DRF keys them by position: `{"id": {"0": [message]}}`)."""

    def to_internal_value(self, data):
        with item_errors_as_messages(_distinct_messages):
            return super().to_internal_value(data)


class RelationshipsQuerySerializer(serializers.Serializer):
    id = _IdListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=RELATIONSHIPS_MAX_IDS,
        help_text=f"User ids, repeated (`?id=1&id=2`), at most {RELATIONSHIPS_MAX_IDS}.",
    )


@extend_schema_serializer(
    examples=[
        response_example(
            "Following",
            {
                "id": 2,
                "is_following": True,
                "follows_you": False,
                "is_blocking": False,
                "is_muting": False,
                "follow_requested": False,
            },
        )
    ]
)
class RelationshipSerializer(serializers.Serializer):
    """The caller's relationship with one account (annotations of `relationships_of`)."""

    id = serializers.IntegerField(read_only=True)
    is_following = serializers.BooleanField(read_only=True, help_text="You follow this user.")
    follows_you = serializers.BooleanField(read_only=True, help_text="This user follows you.")
    is_blocking = serializers.BooleanField(read_only=True, help_text="You block this user.")
    is_muting = serializers.BooleanField(read_only=True, help_text="You mute this user.")
    follow_requested = serializers.BooleanField(
        read_only=True, help_text="You asked to follow this user and wait for approval."
    )
