import binascii
from hmac import compare_digest

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from rest_framework.exceptions import AuthenticationFailed, Throttled

from .throttling import FailedAuthenticationThrottle

REFUSED_MESSAGE = "Invalid token."


class ExpiringTokenAuthentication(TokenAuthentication):
    """Knox's hashed, expiring, per-device tokens, checked in one query.

    Knox also scans and deletes every other expired token of the user on each request; that
    is a second query on the hot path of every authenticated call. Here an expired token is
    simply refused, and the `purge_expired_tokens` beat task deletes the leftovers.
    """

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle = FailedAuthenticationThrottle()
            if not throttle.allow_request(request, None):
                raise Throttled(wait=throttle.wait()) from None
            raise

    def authenticate_credentials(self, token: bytes):
        # Keys are printable ASCII. Knox decodes the header as UTF-8 and would crash (500) on
        # other bytes, and PostgreSQL refuses a NUL in a string parameter (another 500).
        if not token.isascii() or not token.decode("ascii").isprintable():
            raise AuthenticationFailed(REFUSED_MESSAGE)
        token = token.decode("ascii")
        candidates = (
            get_token_model()
            .objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
        )
        # Knox's own loop, without its per-request cleanup of the user's other tokens.
        for auth_token in candidates:
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise AuthenticationFailed(REFUSED_MESSAGE) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise AuthenticationFailed(REFUSED_MESSAGE)


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Per-device token from `POST /api/v1/auth/login/`, sent as "
                "`Authorization: Token <key>`. Tokens expire (`expires_at`) and stop working "
                "at once after logout."
            ),
        }
