"""Throttles for the account endpoints an attacker would hammer.

Rates come from `settings.THROTTLE_RATES` (DRF's `DEFAULT_THROTTLE_RATES`) under the scope
names below, so each is tuned by an environment variable without a code change.
"""

import hashlib

from social_media.throttling import FixedWindowRateThrottle


class ClientIPThrottle(FixedWindowRateThrottle):
    """Counts every request of one client address, authenticated or not.

    The address comes from DRF's `get_ident`, which honours `NUM_PROXIES`, so behind a
    proxy it is the client's and not the proxy's.
    """

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginIPThrottle(ClientIPThrottle):
    scope = "login"


class RegisterIPThrottle(ClientIPThrottle):
    scope = "register"


class LoginEmailThrottle(FixedWindowRateThrottle):
    """Counts login attempts per target account, whatever address they come from.

    The per-IP limit alone lets a botnet guess one account's password from many addresses.
    The email is hashed so the cache key has a fixed length and carries no personal data.
    """

    scope = "login_email"

    def get_cache_key(self, request, view):
        data = request.data
        email = data.get("email") if hasattr(data, "get") else None
        if not isinstance(email, str) or not email.strip():
            # Nothing to count against; the serializer rejects the request anyway.
            return None
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}
