from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ExpiringTokenAuthentication(TokenAuthentication):
    """Knox's hashed, expiring, per-device tokens, checked in one query.

    Knox also scans and deletes every other expired token of the user on each request; that
    is a second query on the hot path of every authenticated call. Here an expired token is
    simply refused, and the `purge_expired_tokens` beat task deletes the leftovers.
    """

    def authenticate_credentials(self, token: bytes):
        # Keys are ASCII; knox decodes the header as UTF-8 and would crash (500) on other bytes.
        if not token.isascii():
            raise AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        return auth_token.expiry is not None and auth_token.expiry < timezone.now()


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
