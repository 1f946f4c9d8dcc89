"""django-axes' scope: the admin site's login form only.

Axes sees every `authenticate()` call, the API's login included. That one is limited by the
API's throttles instead (user/throttling.py), so for axes every request outside the admin is
"whitelisted": neither checked against a lockout nor recorded as a failure.
"""

from django.urls import reverse


def is_outside_admin_login(request, credentials) -> bool:
    return not request.path.startswith(reverse("admin:index"))


def account_of(request, credentials) -> str | None:
    """The account a login names, as the accounts are stored: the admin form sends the email
    as `username`, in whatever case it was typed."""
    if credentials and isinstance(credentials.get("username"), str):
        return credentials["username"].strip().lower()
    username = request.POST.get("username") if request.method == "POST" else None
    return username.strip().lower() if username else None
