"""A client generated from the OpenAPI document works against a live server.

`openapi-python-client` (pinned in requirements-dev.txt) builds a package from the schema
`manage.py spectacular` writes, with no hand edits; the scenario below calls the API through
that package only, so a schema the generator cannot read, or one whose generated code sends
requests the server refuses, fails here rather than in a client developer's hands.
"""

import importlib
import io
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from tests.live_stack import live_stack
from tests.processes import run_captured

PACKAGE = "social_media_api_client"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.clients


def generate_client(root: Path):
    """Write the schema and generate the client package into `root`; return the package."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "social_media.settings",
        "DEBUG": "0",
        "SECRET_KEY": "client-generation",
        # The generator formats its output with ruff, found on PATH.
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    root.mkdir()
    schema = root / "openapi.yaml"
    written = run_captured(
        [sys.executable, "manage.py", "spectacular", "--file", str(schema)], env=env, timeout=120
    )
    assert written.returncode == 0, written.stderr
    generated = run_captured(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--output-path",
            str(root / PACKAGE),
        ],
        cwd=root,
        env=env,
        timeout=300,
    )
    output = generated.stdout + generated.stderr
    assert generated.returncode == 0, output
    # The generator skips what it cannot read and says so; nothing may be missing.
    assert "Warning" not in output, output
    assert "Error" not in output, output
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))


def png(color) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def client_package(tmp_path):
    package = generate_client(tmp_path / "client")
    yield package
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def test_generated_python_client_runs_the_whole_scenario(tmp_path, client_package):
    api = importlib.import_module(f"{PACKAGE}.api")
    models = importlib.import_module(f"{PACKAGE}.models")
    types = importlib.import_module(f"{PACKAGE}.types")
    client_module = importlib.import_module(PACKAGE)

    def call(module_path, status, model, **kwargs):
        """The answer parsed by the generated `sync_detailed`, checked for its status and its
        documented model."""
        module = importlib.import_module(f"{PACKAGE}.api.{module_path}")
        response = module.sync_detailed(**kwargs)
        assert response.status_code == status, response.content
        assert isinstance(response.parsed, model), response.parsed
        return response.parsed

    assert api  # the generated package imports as a whole
    with live_stack(tmp_path / "stack") as stack:
        anonymous = client_module.Client(base_url=stack.base_url, raise_on_unexpected_status=True)

        # Register two people and log in.
        tokens = {}
        for name in ("ada_l", "grace_h"):
            own = call(
                "auth.auth_register_create",
                201,
                models.OwnUser,
                client=anonymous,
                body=models.RegisterRequest(
                    email=f"{name}@example.org", password="analytical-engine-1843", username=name
                ),
            )
            assert own.username == name
            token = call(
                "auth.auth_login_create",
                200,
                models.Token,
                client=anonymous,
                body=models.LoginRequest(
                    email=f"{name}@example.org", password="analytical-engine-1843"
                ),
            )
            assert token.user.email == f"{name}@example.org"
            tokens[name] = token.token

        def authenticated(name):
            return client_module.AuthenticatedClient(
                base_url=stack.base_url,
                token=tokens[name],
                prefix="Token",
                raise_on_unexpected_status=True,
            )

        ada, grace = authenticated("ada_l"), authenticated("grace_h")
        grace_own = call("users.users_retrieve", 200, models.UserOrOwn, id="me", client=grace)

        # Profile edit (JSON) and avatar upload (multipart).
        own = call(
            "users.users_partial_update",
            200,
            models.OwnUser,
            id="me",
            client=ada,
            body=models.PatchedProfileEditRequest(
                display_name="Ada Lovelace", bio="Poetical science.", website="https://ada.example"
            ),
        )
        assert (own.display_name, own.website) == ("Ada Lovelace", "https://ada.example")
        own = call(
            "users.users_avatar_update",
            200,
            models.OwnUser,
            id="me",
            client=ada,
            body=models.AvatarUploadRequest(
                avatar=types.File(
                    payload=io.BytesIO(png("red")), file_name="me.png", mime_type="image/png"
                )
            ),
        )
        assert "/media/avatars/" in own.avatar
        assert own.display_name == "Ada Lovelace"

        # Media upload, then a post with it.
        media = call(
            "media.media_create",
            201,
            models.Media,
            client=ada,
            body=models.MediaUploadRequest(
                file=types.File(
                    payload=io.BytesIO(png("orange")), file_name="o.png", mime_type="image/png"
                ),
                description="An orange square",
            ),
        )
        assert (media.width, media.description) == (64, "An orange square")
        post = call(
            "posts.posts_create",
            201,
            models.Post,
            client=ada,
            body=models.PostCreateRequest(text="Sketching #Engines", media_ids=[media.id]),
        )
        assert post.hashtags == ["engines"]
        assert [item.id for item in post.media] == [media.id]

        # Follow, then the follower's feed shows the post; like and comment on it.
        followed = call(
            "follows.users_follow_create", 201, models.User, id=str(own.id), client=grace
        )
        assert followed.is_following is True
        feed = call("feed.feed_list", 200, models.PaginatedPostList, client=grace)
        assert [item.id for item in feed.results] == [post.id]
        like = call("likes.posts_like_create", 201, models.LikeStatus, id=post.id, client=grace)
        assert (like.liked_by_me, like.like_count) == (True, 1)
        comment = call(
            "comments.posts_comments_create",
            201,
            models.Comment,
            post_id=post.id,
            client=grace,
            body=models.CommentRequest(text="Lovely engine"),
        )
        assert comment.author.id == grace_own.id

        # Hashtags.
        hashtags = call(
            "hashtags.hashtags_list", 200, models.PaginatedHashtagList, client=ada, search="eng"
        )
        assert [tag.name for tag in hashtags.results] == ["engines"]

        # Scheduled posts: create, read, list, cancel.
        publish_at = datetime.now(UTC) + timedelta(days=1)
        scheduled = call(
            "scheduled_posts.scheduled_posts_create",
            201,
            models.ScheduledPost,
            client=ada,
            body=models.ScheduledPostRequest(text="Tomorrow #later", publish_at=publish_at),
        )
        assert scheduled.status == models.ScheduledPostStatusEnum("scheduled")
        fetched = call(
            "scheduled_posts.scheduled_posts_retrieve",
            200,
            models.ScheduledPost,
            id=scheduled.id,
            client=ada,
        )
        assert fetched.publish_at == scheduled.publish_at
        pending = call(
            "scheduled_posts.scheduled_posts_list",
            200,
            models.PaginatedScheduledPostList,
            client=ada,
        )
        assert [item.id for item in pending.results] == [scheduled.id]
        call("scheduled_posts.scheduled_posts_destroy", 204, object, id=scheduled.id, client=ada)
        cancelled = call(
            "scheduled_posts.scheduled_posts_retrieve",
            200,
            models.ScheduledPost,
            id=scheduled.id,
            client=ada,
        )
        assert cancelled.status == models.ScheduledPostStatusEnum("cancelled")

        # Errors parse into their documented models: a 404 into ErrorDetail, a 400 into the
        # operation's validation error.
        gone = call(
            "scheduled_posts.scheduled_posts_retrieve",
            404,
            models.ErrorDetail,
            id=999_999,
            client=ada,
        )
        assert gone.detail
        invalid = call(
            "posts.posts_create",
            400,
            models.PostValidationError,
            client=ada,
            body=models.PostCreateRequest(text=""),
        )
        assert isinstance(invalid.text[0], str)
        not_an_image = call(
            "users.users_avatar_update",
            400,
            models.AvatarValidationError,
            id="me",
            client=ada,
            body=models.AvatarUploadRequest(
                avatar=types.File(payload=io.BytesIO(b"%PDF-1.4"), file_name="x.png")
            ),
        )
        assert not_an_image.avatar
        missing = call(
            "posts.posts_retrieve", 404, models.ErrorDetail, id=999_999, client=anonymous
        )
        assert missing.detail == "No Post matches the given query."
