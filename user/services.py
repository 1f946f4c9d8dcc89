import re
import secrets

from .models import User


def username_from_email(email: str) -> str:
    """A free username derived from the email's local part (`Ada.L+x@…` → `adal`, `adal_7f3a`…)."""
    base = re.sub(r"[^A-Za-z0-9_]", "", email.split("@", 1)[0].split("+", 1)[0])[:24]
    base = (base or "user").ljust(3, "_")
    candidate = base
    while User.objects.filter(username__iexact=candidate).exists():
        candidate = f"{base}_{secrets.token_hex(2)}"
    return candidate
