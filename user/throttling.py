"""Throttles for the account endpoints an attacker would hammer.

Rates come from `settings.THROTTLE_RATES` (DRF's `DEFAULT_THROTTLE_RATES`) under the scope
names below, so each is tuned by an environment variable without a code change. Every
address is `social_media.throttling.client_address`: `REMOTE_ADDR` unless `NUM_PROXIES`
trusted proxies are configured.
"""

import hashlib
import logging

from social_media.throttling import FixedWindowRateThrottle

logger = logging.getLogger(__name__)


class ClientIPThrottle(FixedWindowRateThrottle):
    """Counts every request of one client address, authenticated or not."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginIPThrottle(ClientIPThrottle):
    scope = "login"


class RegisterIPThrottle(ClientIPThrottle):
    scope = "register"


class FailedAuthenticationThrottle(ClientIPThrottle):
    """Requests whose token was refused count against the address's anonymous allowance.

    Authentication fails before any view throttle runs, so without this a client guessing
    tokens would cost a database lookup per request with no limit at all.
    """

    scope = "anon"


def _account_digest(request) -> str | None:
    """The login's target account as a fixed-length hash (no personal data in cache keys)."""
    data = request.data
    email = data.get("email") if hasattr(data, "get") else None
    if not isinstance(email, str) or not email.strip():
        return None
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class LoginEmailThrottle(FixedWindowRateThrottle):
    """Login attempts on one account from one client address.

    Keyed on the pair, not the account alone: a per-account limit would let anyone lock the
    owner out with ten wrong passwords. Guessing from many addresses at once is what
    `LoginAccountCeiling` watches for.
    """

    scope = "login_email"

    def get_cache_key(self, request, view):
        account = _account_digest(request)
        if account is None:
            # Nothing to count against; the serializer rejects the request anyway.
            return None
        ident = f"{account}:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginAccountCeiling(FixedWindowRateThrottle):
    """Login attempts on one account from every address together: over the rate, a warning
    goes to the log once per window for an operator to act on. It never refuses a request,
    since refusing would hand the lockout back to whoever sends the attempts (SECURITY.md).
    """

    scope = "login_account"

    def get_cache_key(self, request, view):
        account = _account_digest(request)
        if account is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": account}

    def allow_request(self, request, view):
        if not super().allow_request(request, view) and self.count == self.num_requests + 1:
            logger.warning(
                "Login attempts on one account passed %s (account %s…): a distributed "
                "password-guessing attempt?",
                self.rate,
                self.key.rsplit("_", 1)[-1][:12],
            )
        return True
