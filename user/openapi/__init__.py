"""OpenAPI documentation of the account, profile and follow operations, one module per
resource group (as in `post.openapi`).

Kept apart from the views so each view reads as what it does; every operation has a tag,
a summary, a description, request and response examples and its error responses.
"""

from .auth import login, logout, logout_all, password, register
from .follows import follow, followers, following, unfollow
from .users import avatar_delete, users

__all__ = [
    "avatar_delete",
    "follow",
    "followers",
    "following",
    "login",
    "logout",
    "logout_all",
    "password",
    "register",
    "unfollow",
    "users",
]
