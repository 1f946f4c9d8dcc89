"""The visibility rule, proved on every read: a leak test generated from the OpenAPI document.

Every `GET` operation of the document is called as a viewer V who must not see a hidden
account H (or some of what H did), and every response is searched for H's ids:

- `blocked`: H blocks V. For V, H does not exist: profile, posts, reposts, quotes,
  comments, replies, likes, mentions and notifications are 404 or absent everywhere.
- `blocker`: V blocks H. The same, except that V still sees H's profile where the contract
  lets the blocker find it to unblock it (`BLOCKER_SEES_PROFILE`).
- `private`: H is private and V does not follow it (V's request is pending). H's posts and
  reposts (and what hangs from them: comments, media, notifications about them) are absent;
  H's follow lists are empty; a tag only H uses is in no tag list. H itself, its comments on
  others' posts and its likes stay visible: privacy hides posts and follow lists only.
- `muter`: V mutes H. H's posts, reposts and notifications are absent from the operations
  the contract names (`MUTE_SCOPE`); every other operation is still called (no 5xx, the
  expected statuses) but may show them (a profile, a direct link).
- `control`: none of it. The same world and the same requests must show H's content in
  every operation that can show it (`CONTROL_SHOWS_NOTHING_OF_H` lists the others), so the
  scenarios above are not passing on empty lists.

The world gives H one of everything (profile, posts with a tag, media and a mention of V,
reposts and quotes of V's and a third party's posts, comments and replies, likes of posts
and comments, a bookmark, follows both ways, a scheduled post, a pending follow request to
V) and third parties content about H (a repost, a quote, a comment on H's post, a reply to
H's comment, mentions of H). Every row is written through the services, so H's actions
notify V as they do in production; the block, mute or privacy comes last.

Requests are generated: each path parameter is filled from the kind of object its path
segment names (`PATH_KINDS`), with H's objects and with visible ones that H's content hangs
from (a third party's post H liked, commented on and reposted...). A parameter of a kind
the table does not know fails the test. Query parameters: every list runs once plain (page
size 100, following `next` to the end) and once per probe (`QUERY_PROBES`: a search for a
word of H's texts, H's tag, H's id...) and per enum value; an unknown query parameter fails
the test too, so a new filter gets a probe or a reason (`QUERY_NOT_PROBED`).

How ids are told apart: a post id and a user id may be the same number, so every object
found in a response is a (kind, id) pair, its kind read from its keys (`kind_of`): users
have `username` (relationship rows `is_blocking` and `follows_you`), notifications `type`
and `actor`, comments `in_reply_to` and `post`, posts `repost_of`, scheduled posts
`publish_at`, media `thumbnail_url`; tags (`name` and `post_count`) are (kind, name).
Numbers that point at objects (`comment.post`, `comment.in_reply_to`, `scheduled.post`) are
references of the kind they point at (`REFERENCES`). An object with an `id` of no known
kind, or a number under a reference-like key not in `REFERENCES`, fails the test.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from urllib.parse import urlencode

import pytest
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from notifications.models import Notification
from post.models import Comment, Media, Post
from post.services.interactions import comment_create, comment_like_create, like_create
from post.services.media import media_create
from post.services.posts import post_create
from post.services.reposts import bookmark_create, repost_create
from post.services.scheduling import scheduled_post_create
from post.tests.helpers import create_post, image_file
from user.models import User
from user.services.accounts import user_profile_update
from user.services.relationships import (
    REQUESTED,
    block_create,
    follow_create,
    follow_delete,
    mute_create,
)
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# --- What is called, and why some of it is not ---------------------------------------

# GET operations of the document that are not called, each with its reason. A stale name
# fails `test_every_listed_operation_exists`.
SKIPPED = {
    "GET /api/v1/health/": "No account's content: the service's status, which also connects "
    "to the real Celery broker.",
}

# Where the blocker still sees the blocked account itself (the contract: "The blocker still
# sees the blocked account's profile (with `is_blocking: true`, listed in
# `/users/me/blocks/` and in relationships, so it can unblock)"). Its content never.
BLOCKER_SEES_PROFILE = {
    "GET /api/v1/users/{id}/": "The blocked account's profile by id, with is_blocking true.",
    "GET /api/v1/users/me/blocks/": "The accounts the caller blocks.",
    "GET /api/v1/users/relationships/": "The caller's relationship with the accounts asked for.",
}

# Mutes hide "the muted account's posts, reposts and notifications from the muter's feed,
# `/posts/`, hashtag lists, search and notifications; they stay on the muted account's own
# profile and by direct link". Only these operations are searched in the `muter` scenario.
MUTE_SCOPE = {
    "GET /api/v1/feed/": "The muter's feed.",
    "GET /api/v1/posts/": "`/posts/`, with its search and hashtag filters.",
    "GET /api/v1/hashtags/{name}/posts/": "A hashtag's posts.",
    "GET /api/v1/notifications/": "The muter's notifications.",
    "GET /api/v1/notifications/unread-count/": "Counts the notifications the list shows.",
}

# Operations that show nothing of H even when nothing hides it: the `control` run does not
# require H's ids in their responses (it still calls them).
CONTROL_SHOWS_NOTHING_OF_H = {
    "GET /api/v1/users/me/blocks/": "Empty until the caller blocks someone (the `blocker` "
    "scenario lists H there, as allowed).",
    "GET /api/v1/users/me/mutes/": "Empty until the caller mutes someone.",
    "GET /api/v1/scheduled-posts/": "The caller's own scheduled posts only.",
    "GET /api/v1/scheduled-posts/{id}/": "The caller's own only; H's is asked for and is 404.",
    "GET /api/v1/notifications/unread-count/": "A number, no ids: compared with the unread "
    "notifications the caller may see instead.",
}

# Path segments before a parameter → the kind of object the parameter names.
PATH_KINDS = {
    "users": "user",
    "posts": "post",
    "comments": "comment",
    "hashtags": "hashtag",
    "scheduled-posts": "scheduled",
}

# Query parameters that are not probed, with the reason. Every other one needs a probe.
QUERY_NOT_PROBED = {
    "cursor": "Pages are followed through `next`, as clients do.",
    "page_size": "Every request asks for pages of 100.",
    "created_after": "Narrows `/posts/` by time only; the plain run reads the same set.",
    "created_before": "Narrows `/posts/` by time only; the plain run reads the same set.",
}

WORD = "hiddenzebra"  # in H's texts, display name and bio; a prefix of H's tag
H_TAG = f"{WORD}tag"  # used by H only
SHARED_TAG = "sharedtag"  # used by H, a third party and V


def _query_probes(world) -> dict:
    """Values that make a filter look for H: one run per value."""
    h = world.h
    return {
        "search": [WORD],
        "author": [h.pk],
        "hashtag": [H_TAG, f"#{SHARED_TAG.upper()}"],
        "username": [h.username.upper()],
        "location": [h.location],
        "id": [[h.pk, world.t.pk, world.v.pk]],
        "hours": [168],
    }


# A number under one of these keys points at an object: it must be a known reference.
REFERENCE_KEYS = {
    "post",
    "comment",
    "user",
    "author",
    "actor",
    "in_reply_to",
    "repost_of",
    "quote_of",
    "follower",
    "followee",
}
# (kind of the object, key) → kind of the object the number is the id of.
REFERENCES = {
    ("comment", "post"): "post",
    ("comment", "in_reply_to"): "comment",
    ("scheduled", "post"): "post",
}

SCENARIOS = ("control", "blocked", "blocker", "private", "muter")


# --- The schema --------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    name: str  # "GET /api/v1/posts/{id}/"
    path: str
    parameters: tuple


@cache
def get_operations() -> tuple[Operation, ...]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return tuple(
        Operation(f"GET {path}", path, tuple(item["get"].get("parameters", [])))
        for path, item in schema["paths"].items()
        if "get" in item
    )


# --- The world -----------------------------------------------------------------------------


@dataclass
class World:
    v: User  # the viewer
    h: User  # the hidden account
    t: User  # third parties
    u: User
    # Path parameter values by kind: (label, value).
    path_values: dict[str, list[tuple[str, object]]] = field(default_factory=dict)
    # Scheduled posts of someone else: 404 to V whatever the scenario.
    foreign_scheduled: set = field(default_factory=set)


def build_world() -> World:
    v = UserFactory(username="viewer_v", display_name="Viewer", bio="Reads things")
    h = UserFactory(
        username="hidden_h",
        display_name=f"{WORD.capitalize()} Hyde",
        bio=f"The {WORD} keeper",
        location=f"{WORD.capitalize()}ville",
    )
    t = UserFactory(username="third_t", display_name="Tess", bio="Third party")
    u = UserFactory(username="third_u", display_name="Uma", bio="Another third party")

    for follower, followee in ((v, h), (v, t), (h, v), (h, t), (t, h), (u, h), (t, v), (u, t)):
        follow_create(follower=follower, followee=followee)

    # H's posts, reposts and quotes (a post with media, H's and a shared tag, a mention of V).
    media = media_create(owner=h, upload=image_file(), description=f"{WORD} picture")
    h_post = create_post(
        h, f"{WORD} says hi to @viewer_v #{H_TAG} #{SHARED_TAG}", media_ids=[media.pk]
    )
    t_post = create_post(t, f"Tess writes about #{SHARED_TAG}")
    v_post = create_post(v, f"Viewer writes about #{SHARED_TAG}")
    h_plain = create_post(h, f"{WORD} plain post")
    h_repost_t, _ = repost_create(user=h, post=t_post)
    repost_create(user=h, post=v_post)
    h_quote_t = post_create(author=h, text=f"{WORD} quotes Tess", quote_of=t_post.pk)
    post_create(author=h, text=f"{WORD} quotes you", quote_of=v_post.pk)

    # Comments, replies and likes of H on others' posts and comments (some notify V).
    t_comment = comment_create(author=t, post=t_post, text="Tess comments")
    v_comment = comment_create(author=v, post=t_post, text="Viewer comments")
    h_comment = comment_create(author=h, post=t_post, text=f"{WORD} comments, cc @viewer_v")
    comment_create(author=h, post=t_post, text=f"{WORD} replies", in_reply_to=t_comment.pk)
    comment_create(author=h, post=t_post, text=f"{WORD} answers", in_reply_to=v_comment.pk)
    comment_create(author=h, post=v_post, text=f"{WORD} on your post")
    comment_create(author=h, post=h_post, text=f"{WORD} on its own post")
    for post in (t_post, v_post):
        like_create(user=h, post=post)
    for comment in (t_comment, v_comment):
        comment_like_create(user=h, comment=comment)
    bookmark_create(user=h, post=t_post)

    # Third parties about H: a repost, a quote, a comment, a reply, mentions, a like.
    t_repost_h, _ = repost_create(user=t, post=h_post)
    t_quote_h = post_create(author=t, text="Tess quotes Hyde", quote_of=h_post.pk)
    t_comment_h = comment_create(author=t, post=h_post, text="Tess on Hyde's post")
    t_reply_h = comment_create(
        author=t, post=t_post, text="Tess answers Hyde", in_reply_to=h_comment.pk
    )
    t_mention = create_post(t, f"Hello @hidden_h #{SHARED_TAG}")
    comment_create(author=t, post=t_post, text="cc @hidden_h")
    like_create(user=t, post=h_post)
    like_create(user=u, post=h_plain)
    # Something of third parties for V, so V's lists are not only H's.
    like_create(user=t, post=v_post)
    comment_create(author=t, post=v_post, text="Tess on your post, cc @hidden_h")

    # V's own marks on H's content.
    like_create(user=v, post=h_post)
    bookmark_create(user=v, post=h_post)
    comment_like_create(user=v, comment=h_comment)

    tomorrow = timezone.now() + timedelta(days=1)
    v_scheduled = scheduled_post_create(author=v, text="Viewer, later", publish_at=tomorrow)
    h_scheduled = scheduled_post_create(author=h, text=f"{WORD}, later", publish_at=tomorrow)

    # A pending request from H to follow V: H's follow notice is read (so unfollowing keeps
    # it), V goes private, and H asks again.
    Notification.objects.filter(recipient=v, actor=h, type="follow").update(read=True)
    follow_delete(follower=h, followee=v)
    user_profile_update(user=v, fields={"is_private": True})
    assert follow_create(follower=h, followee=v) == REQUESTED

    world = World(v=v, h=h, t=t, u=u)
    world.path_values = {
        "user": [("H", h.pk), ("T", t.pk), ("me", "me")],
        "post": [
            ("H's post", h_post.pk),
            ("H's repost of T's post", h_repost_t.pk),
            ("H's quote of T's post", h_quote_t.pk),
            ("T's post", t_post.pk),
            ("V's post", v_post.pk),
            ("T's repost of H's post", t_repost_h.pk),
            ("T's quote of H's post", t_quote_h.pk),
            ("T's post mentioning H", t_mention.pk),
        ],
        "comment": [
            ("H's comment", h_comment.pk),
            ("T's comment", t_comment.pk),
            ("V's comment", v_comment.pk),
            ("T's comment on H's post", t_comment_h.pk),
            ("T's reply to H's comment", t_reply_h.pk),
        ],
        "hashtag": [("H's tag", H_TAG), ("a shared tag", SHARED_TAG)],
        "scheduled": [("V's scheduled post", v_scheduled.pk), ("H's", h_scheduled.pk)],
    }
    world.foreign_scheduled = {h_scheduled.pk}
    return world


def apply_scenario(world: World, scenario: str) -> None:
    v, h = world.v, world.h
    if scenario == "blocked":
        block_create(blocker=h, blocked=v)
    elif scenario == "blocker":
        block_create(blocker=v, blocked=h)
    elif scenario == "private":
        follow_delete(follower=v, followee=h)
        user_profile_update(user=User.objects.get(pk=h.pk), fields={"is_private": True})
        assert follow_create(follower=v, followee=h) == REQUESTED
    elif scenario == "muter":
        mute_create(muter=v, muted=h)
    else:
        assert scenario == "control"


def ids_of(queryset) -> set:
    return set(queryset.values_list("id", flat=True))


def posts_of(h: User) -> set:
    """H's posts, reposts and quotes, and everyone's reposts of H's posts."""
    return ids_of(Post.objects.filter(Q(author=h) | Q(repost_of__author=h)))


def h_content(world: World) -> dict[str, set]:
    """Everything of H, and about H's posts, that a block hides: (kind → ids)."""
    h = world.h
    posts = posts_of(h)
    comments = set(
        Comment.objects.filter(Q(author=h) | Q(post__in=posts)).values_list("id", flat=True)
    )
    return {
        "user": {h.pk},
        "post": posts,
        "comment": comments,
        "media": set(Media.objects.filter(post__in=posts).values_list("id", flat=True)),
        "notification": set(
            Notification.objects.filter(recipient=world.v)
            .filter(Q(actor=h) | Q(post__in=posts) | Q(comment__in=comments))
            .values_list("id", flat=True)
        ),
        "hashtag": {H_TAG},
    }


def hidden_for(world: World, scenario: str) -> dict[str, set]:
    """What V must not find in the scenario (kind → ids; tags by name)."""
    h, v = world.h, world.v
    if scenario == "control":
        return {}
    if scenario in ("blocked", "blocker"):
        hidden = h_content(world)
        del hidden["hashtag"]  # tag lists and counts are global totals
        return hidden
    posts = posts_of(h)
    if scenario == "private":
        comments = set(Comment.objects.filter(post__in=posts).values_list("id", flat=True))
        return {
            "post": posts,
            "comment": comments,
            "media": set(Media.objects.filter(post__in=posts).values_list("id", flat=True)),
            "notification": set(
                Notification.objects.filter(recipient=v)
                .filter(Q(post__in=posts) | Q(comment__in=comments))
                .values_list("id", flat=True)
            ),
            "hashtag": {H_TAG},  # only H uses it: no tag list may name it
        }
    assert scenario == "muter"
    return {
        "post": posts,
        "media": set(Media.objects.filter(post__in=posts).values_list("id", flat=True)),
        "notification": set(
            Notification.objects.filter(recipient=v, actor=h).values_list("id", flat=True)
        ),
    }


def hidden_path_objects(world: World, scenario: str) -> dict[str, set]:
    """Objects that are 404 to V when a path names them."""
    if scenario in ("control", "muter"):
        return {}  # a mute hides nothing from a direct link
    hidden = hidden_for(world, scenario)
    found = {kind: set(hidden.get(kind, set())) for kind in ("user", "post", "comment")}
    if scenario in ("blocked", "blocker"):
        # A direct reply to a hidden comment leaves the thread with it: its `in_reply_to`
        # would name the hidden comment (Comment.objects.visible_to).
        replies = Comment.objects.filter(in_reply_to__in=found["comment"])
        found["comment"] |= set(replies.values_list("id", flat=True))
    return found


# --- Reading responses -------------------------------------------------------------------


def kind_of(node: dict) -> str | None:
    if "username" in node or ("is_blocking" in node and "follows_you" in node):
        return "user"
    if "type" in node and "actor" in node:
        return "notification"
    if "in_reply_to" in node and "post" in node:
        return "comment"
    if "repost_of" in node or "quote_of" in node:
        return "post"
    if "publish_at" in node:
        return "scheduled"
    if "thumbnail_url" in node:
        return "media"
    if "name" in node and "post_count" in node:
        return "hashtag"
    return None


def found_in(node, where: str = "$"):
    """(kind, id, where) for every object and every reference in a JSON document; kind
    `None` for what cannot be classified."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from found_in(item, f"{where}[{index}]")
        return
    if not isinstance(node, dict):
        return
    kind = kind_of(node)
    if kind == "hashtag":
        yield kind, node["name"], where
    elif "id" in node:
        yield kind, node["id"], where
    for key, value in node.items():
        place = f"{where}.{key}"
        if isinstance(value, int) and not isinstance(value, bool) and key in REFERENCE_KEYS:
            yield REFERENCES.get((kind, key)), value, place
        else:
            yield from found_in(value, place)


# --- Generating requests -----------------------------------------------------------------


@dataclass
class Call:
    operation: Operation
    url: str
    label: str
    path_objects: list  # [(kind, value)]


def calls_for(operation: Operation, world: World, problems: list[str]) -> list[Call]:
    segments = operation.path.strip("/").split("/")
    path_params = [p for p in operation.parameters if p["in"] == "path"]
    query_params = [p for p in operation.parameters if p["in"] == "query"]

    fillings = [("", operation.path, [])]
    for parameter in path_params:
        placeholder = "{" + parameter["name"] + "}"
        before = segments[segments.index(placeholder) - 1]
        kind = PATH_KINDS.get(before)
        if kind is None or kind not in world.path_values:
            problems.append(
                f"{operation.name}: cannot fill {placeholder} (after `{before}/`): add its "
                "kind to PATH_KINDS and values of it to the world"
            )
            return []
        fillings = [
            (
                f"{label} {name}".strip(),
                path.replace(placeholder, str(value)),
                [*objs, (kind, value)],
            )
            for label, path, objs in fillings
            for name, value in world.path_values[kind]
        ]

    probes = _query_probes(world)
    base, variants = {}, []
    for parameter in query_params:
        name, schema = parameter["name"], parameter.get("schema", {})
        if name == "page_size":
            base[name] = 100
        if name in QUERY_NOT_PROBED:
            continue
        if name in probes:
            values = probes[name]
        elif schema.get("enum"):
            values = schema["enum"]
        elif schema.get("type") == "array" and schema.get("items", {}).get("enum"):
            values = [",".join(schema["items"]["enum"])]
        else:
            problems.append(
                f"{operation.name}: query parameter `{name}` has no probe: add one to "
                "QUERY_PROBES or a reason to QUERY_NOT_PROBED"
            )
            continue
        if parameter.get("required"):
            base[name] = values[0]
            variants.extend({name: value} for value in values[1:])
        else:
            variants.extend({name: value} for value in values)

    calls = []
    for label, path, objects in fillings:
        for extra in [{}, *variants]:
            query = urlencode({**base, **extra}, doseq=True)
            url = f"{path}?{query}" if query else path
            calls.append(Call(operation, url, label, objects))
    return calls


# --- The test ----------------------------------------------------------------------------


@pytest.fixture
def world():
    return build_world()


def expected_status(call: Call, world: World, scenario: str, hidden_paths: dict) -> int:
    for kind, value in call.path_objects:
        if kind == "scheduled" and value in world.foreign_scheduled:
            return 404
        if (kind, value, scenario) == ("user", world.h.pk, "blocker") and (
            call.operation.name in BLOCKER_SEES_PROFILE
        ):
            continue
        if value in hidden_paths.get(kind, ()):
            return 404
    return 200


def read_all(client, call: Call, problems: list[str]) -> tuple[int, list]:
    """The status and the bodies of every page (following `next`)."""
    response = client.get(call.url)
    status, bodies = response.status_code, []
    while True:
        if response.status_code >= 500 or response.status_code not in (200, 404):
            problems.append(f"{call.url}: {response.status_code} {response.content[:300]!r}")
            return response.status_code, bodies
        if response.status_code != 200:
            return status, bodies
        body = response.json()
        bodies.append(body)
        following = body.get("next") if isinstance(body, dict) else None
        if not following:
            return status, bodies
        if len(bodies) > 20:
            problems.append(f"{call.url}: more than 20 pages")
            return status, bodies
        response = client.get(following)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_operation_shows_what_the_viewer_may_not_see(world, scenario, make_client):
    apply_scenario(world, scenario)
    hidden = hidden_for(world, scenario)
    hidden_paths = hidden_path_objects(world, scenario)
    if scenario != "control":
        # The world holds what is to be hidden (notifications made before the block).
        assert hidden.get("post"), hidden
        assert hidden.get("notification"), hidden
    h_everything = h_content(world)
    client = make_client(world.v)
    problems: list[str] = []
    exercised: dict[str, int] = {}
    showed_h: set[str] = set()
    seen: dict[str, set] = {kind: set() for kind in h_everything}
    requests = 0

    for operation in get_operations():
        if operation.name in SKIPPED:
            continue
        calls = calls_for(operation, world, problems)
        if not calls:
            continue
        checked = scenario != "muter" or operation.name in MUTE_SCOPE
        for call in calls:
            requests += 1
            status, bodies = read_all(client, call, problems)
            requests += max(len(bodies) - 1, 0)
            expected = expected_status(call, world, scenario, hidden_paths)
            if status != expected:
                problems.append(f"{call.url} ({call.label}): {status}, expected {expected}")
            exercised[operation.name] = exercised.get(operation.name, 0) + 1
            if status != 200:
                continue
            for body in bodies:
                for kind, key, where in found_in(body):
                    if kind is None:
                        problems.append(f"{call.url}: unclassified id {key!r} at {where}")
                        continue
                    if key in h_everything.get(kind, ()):
                        seen[kind].add(key)
                        showed_h.add(operation.name)
                    if not checked or key not in hidden.get(kind, ()):
                        continue
                    if (
                        scenario == "blocker"
                        and kind == "user"
                        and operation.name in BLOCKER_SEES_PROFILE
                    ):
                        continue
                    problems.append(f"LEAK {call.url} ({call.label}): {kind} {key} at {where}")
            check_special(call, world, scenario, hidden, bodies, problems)

    expected_operations = {op.name for op in get_operations()} - set(SKIPPED)
    missing = expected_operations - set(exercised)
    if missing:
        problems.append(f"operations never called: {sorted(missing)}")
    if scenario == "control":
        silent = expected_operations - showed_h - set(CONTROL_SHOWS_NOTHING_OF_H)
        if silent:
            problems.append(f"control: operations that showed nothing of H: {sorted(silent)}")
        for kind, keys in h_everything.items():
            if keys - seen[kind]:
                problems.append(f"control: {kind}s of H never shown: {sorted(keys - seen[kind])}")
    print(f"{scenario}: {len(exercised)} operations, {requests} requests")
    assert not problems, f"{len(problems)} problems ({scenario}):\n" + "\n".join(problems[:80])


def check_special(call, world, scenario, hidden, bodies, problems):
    """What the id search cannot see: statuses of allowed views, empty lists, counts."""
    name = call.operation.name
    about_h = ("user", world.h.pk) in call.path_objects
    blocker_view = scenario == "blocker" and name == "GET /api/v1/users/{id}/" and about_h
    if blocker_view and bodies[0].get("is_blocking") is not True:
        problems.append(f"{call.url}: the blocker's view of H lacks is_blocking: true")
    if scenario == "private" and about_h:
        for body in bodies:
            if isinstance(body, dict) and body.get("results"):
                problems.append(f"{call.url}: a private account's list is not empty for V")
    if name == "GET /api/v1/notifications/unread-count/":
        unread = Notification.objects.filter(recipient=world.v, read=False)
        expected = unread.exclude(id__in=hidden.get("notification", ())).count()
        if bodies[0]["count"] != expected:
            problems.append(f"{call.url}: count {bodies[0]['count']}, expected {expected}")


def test_every_listed_operation_exists():
    """SKIPPED has a reason for each entry, and no table names a GET operation that is gone."""
    names = {operation.name for operation in get_operations()}
    for table in (SKIPPED, BLOCKER_SEES_PROFILE, MUTE_SCOPE, CONTROL_SHOWS_NOTHING_OF_H):
        assert set(table) <= names, sorted(set(table) - names)
        assert all(reason.strip() for reason in table.values())
    assert all(reason.strip() for reason in QUERY_NOT_PROBED.values())
