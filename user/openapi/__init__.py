"""OpenAPI documentation of the account, profile and follow operations (as `post.openapi`)."""

from .auth import login, logout, logout_all, password, register  # noqa: F401
from .follows import follow, followers, following, relationships, unfollow  # noqa: F401
from .safety import (  # noqa: F401
    block,
    blocks,
    follow_request_approve,
    follow_request_reject,
    follow_requests,
    mute,
    mutes,
    unblock,
    unmute,
)
from .users import avatar_delete, avatar_upload, users  # noqa: F401
