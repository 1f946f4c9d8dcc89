"""Every write of the API (and every owner-only read), as data.

`Op.who` says who may do it:
- "owner": only the owner of the object in the URL; anyone else gets `other_status`
  (403, or 404 where the API hides the object's existence: scheduled posts).
- "caller": any authenticated user, acting on their own behalf (follow, like, logout...);
  only anonymous callers are refused.

URL and body templates take the ids of the `world` fixture (tests/security/conftest.py).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from user.tests.factories import DEFAULT_PASSWORD

UPLOAD = "upload"  # a body placeholder: a multipart request with a fresh PNG


@dataclass(frozen=True)
class Op:
    method: str
    url: str
    owner_status: int
    who: str = "owner"
    body: object = None
    other_status: int = 403
    fmt: str = "json"
    tags: tuple = field(default=())

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url}"


def later() -> str:
    return (timezone.now() + timedelta(hours=3)).isoformat()


def mark_and_unmark(url: str, marked: int = 201) -> list[Op]:
    """The caller's POST of a mark (a follow, a like ...) and its DELETE."""
    return [Op("post", url, marked, who="caller"), Op("delete", url, 204, who="caller")]


def edit_and_delete(url: str, text: str) -> list[Op]:
    """The owner's PATCH and PUT of a text, and DELETE."""
    return [
        Op("patch", url, 200, body={"text": text}),
        Op("put", url, 200, body={"text": text}),
        Op("delete", url, 204),
    ]


def avatar_upload(method: str, url: str, who: str = "owner") -> Op:
    """A new avatar, sent as a file (multipart) and tagged `avatar`."""
    return Op(method, url, 200, who=who, body={"avatar": UPLOAD}, fmt="multipart", tags=("avatar",))


WRITES = [
    # Accounts and tokens: each acts on the caller's own session.
    Op("post", "/api/v1/auth/logout/", 204, who="caller"),
    Op("post", "/api/v1/auth/logout-all/", 204, who="caller"),
    Op(
        "post",
        "/api/v1/auth/password/",
        204,
        who="caller",
        body={"old_password": DEFAULT_PASSWORD, "new_password": "a-brand-new-passphrase-77"},
    ),
    # Profiles: by id only the owner; `me` is always the caller.
    Op("patch", "/api/v1/users/{owner}/", 200, body={"bio": "pwned"}),
    Op("put", "/api/v1/users/{owner}/", 200, body={"username": "pwned_user", "bio": "pwned"}),
    Op("delete", "/api/v1/users/{owner}/", 204),
    Op("delete", "/api/v1/users/{owner}/avatar/", 204),
    Op("patch", "/api/v1/users/me/", 200, who="caller", body={"bio": "mine"}),
    Op("put", "/api/v1/users/me/", 200, who="caller", body={"username": "renamed_me"}),
    avatar_upload("patch", "/api/v1/users/me/", who="caller"),
    avatar_upload("put", "/api/v1/users/{owner}/avatar/"),
    avatar_upload("put", "/api/v1/users/me/avatar/", who="caller"),
    Op("delete", "/api/v1/users/me/avatar/", 204, who="caller"),
    Op("delete", "/api/v1/users/me/", 204, who="caller"),
    *mark_and_unmark("/api/v1/users/{other}/follow/"),
    *mark_and_unmark("/api/v1/users/{other}/block/"),
    *mark_and_unmark("/api/v1/users/{other}/mute/"),
    # Follow requests: only their target answers; to anyone else there is no such request.
    Op("post", "/api/v1/follow-requests/{requester}/approve/", 204, other_status=404),
    Op("post", "/api/v1/follow-requests/{requester}/reject/", 204, other_status=404),
    # Media, posts, likes, comments.
    Op("post", "/api/v1/media/", 201, who="caller", body={"file": UPLOAD}, fmt="multipart"),
    Op("post", "/api/v1/posts/", 201, who="caller", body={"text": "new #post"}),
    *edit_and_delete("/api/v1/posts/{post}/", "pwned #evil"),
    # The world's post is one the owner already likes: 200.
    *mark_and_unmark("/api/v1/posts/{post}/like/", 200),
    Op("post", "/api/v1/posts/{post}/comments/", 201, who="caller", body={"text": "hi"}),
    *edit_and_delete("/api/v1/comments/{comment}/", "pwned"),
    # Conversations: reposts, bookmarks and comment likes act for the caller.
    *mark_and_unmark("/api/v1/posts/{post}/repost/"),
    *mark_and_unmark("/api/v1/posts/{post}/bookmark/"),
    *mark_and_unmark("/api/v1/comments/{comment}/like/"),
    # Scheduled posts: someone else's does not exist for you (404, not 403).
    Op("post", "/api/v1/scheduled-posts/", 201, who="caller", body={"text": "soon"}),
    Op(
        "patch",
        "/api/v1/scheduled-posts/{scheduled}/",
        200,
        body={"text": "pwned"},
        other_status=404,
    ),
    Op("delete", "/api/v1/scheduled-posts/{scheduled}/", 204, other_status=404),
    # Notifications: the caller's own; someone else's does not exist for you.
    Op("post", "/api/v1/notifications/read/", 204, who="caller"),
    Op("delete", "/api/v1/notifications/{notification}/", 204, other_status=404),
    # Reports: any caller reports what they can see (here: the other user's account).
    Op(
        "post",
        "/api/v1/reports/",
        201,
        who="caller",
        body=lambda world: {"target_type": "user", "target_id": world["other"], "reason": "spam"},
    ),
]

OWNER_ONLY_READS = [
    Op("get", "/api/v1/scheduled-posts/{scheduled}/", 200, other_status=404),
    Op("get", "/api/v1/users/me/", 200, who="caller"),
    Op("get", "/api/v1/users/me/liked-posts/", 200, who="caller"),
    Op("get", "/api/v1/users/me/bookmarks/", 200, who="caller"),
    Op("get", "/api/v1/users/me/blocks/", 200, who="caller"),
    Op("get", "/api/v1/users/me/mutes/", 200, who="caller"),
    Op("get", "/api/v1/follow-requests/", 200, who="caller"),
    Op("get", "/api/v1/users/me/posts/", 200, who="caller"),
    Op("get", "/api/v1/feed/", 200, who="caller"),
    Op("get", "/api/v1/scheduled-posts/", 200, who="caller"),
    Op("get", "/api/v1/notifications/", 200, who="caller"),
    Op("get", "/api/v1/notifications/unread-count/", 200, who="caller"),
]


def call(client, op: Op, world: dict):
    from tests.security.conftest import png_upload

    url = op.url.format(**world)
    # A body naming objects of the world is a function of it.
    body = op.body(world) if callable(op.body) else op.body
    if isinstance(body, dict):
        body = {key: png_upload() if value == UPLOAD else value for key, value in body.items()}
        if op.url == "/api/v1/scheduled-posts/":
            body["publish_at"] = later()
    return getattr(client, op.method)(url, body, format=op.fmt)
