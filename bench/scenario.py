"""Who and what the load asks for: users with tokens, posts with comments, search terms.

Runs in the orchestrator process (Django set up with bench.settings), against a database
alias: `default` is the main bench database, `growth_<name>` a growth data set.
"""

from dataclasses import dataclass, field

from django.db import connections
from knox.models import AuthToken

from bench import notifications
from user.models import User


@dataclass
class Scenario:
    alias: str
    heavy: list[int]
    typical: list[int]
    probes: dict[int, int]  # followed accounts -> user id
    hashtag: str
    search_word: str
    user_search: str
    max_post: int
    comment_posts: list[int]
    like_posts: list[int]
    most_followed: int
    top_author: int
    top_liker: int
    most_liked_post: int
    most_commented_post: int
    rare_phrase: str = ""
    rare_user: str = ""
    # "typical" and "heavy" user ids, "deep": user id -> cursor (bench/notifications.py)
    notified: dict = field(default_factory=dict)
    tokens: dict[int, str] = field(default_factory=dict)

    def token(self, user_id: int) -> str:
        if user_id not in self.tokens:
            self.tokens[user_id] = new_token(self.alias, user_id)
        return self.tokens[user_id]


def new_token(alias: str, user_id: int) -> str:
    """A knox token of the account `user_id` in the database `alias`."""
    user = User.objects.using(alias).get(pk=user_id)
    _, key = AuthToken.objects.db_manager(alias).create(user=user)
    return key


def _one(alias: str, sql: str, params=()):
    with connections[alias].cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


def build(alias: str, meta: dict) -> Scenario:
    with connections[alias].cursor() as cur:
        # Readable by every bench account: a public, active author in no block (so no
        # writer is refused, as the app refuses writes across a block).
        readable = (
            "u.is_active AND NOT u.is_private AND p.repost_of_id IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM user_block b WHERE u.id IN (b.blocker_id, b.blocked_id))"
        )
        # Posts with a real thread (20+ comments), the ones a reader opens.
        cur.execute(
            "SELECT post_id FROM post_comment c JOIN post_post p ON p.id = c.post_id "
            f"JOIN user_user u ON u.id = p.author_id WHERE {readable} "
            "GROUP BY post_id HAVING COUNT(*) >= 5 ORDER BY post_id DESC LIMIT 50"
        )
        comment_posts = [r[0] for r in cur.fetchall()]
        # Posts to like: any readable post, most of them not liked yet by the liker.
        cur.execute(
            "SELECT p.id FROM post_post p TABLESAMPLE SYSTEM (5) REPEATABLE (7) "
            f"JOIN user_user u ON u.id = p.author_id WHERE {readable} LIMIT 400"
        )
        like_posts = [r[0] for r in cur.fetchall()]
        notified = notifications.pick(cur, int(meta["notified"]))
    if not comment_posts:
        comment_posts = [_one(alias, "SELECT MAX(post_id) FROM post_comment")]
    # A phrase that occurs in about one post, and one account's username: the selective
    # searches, where the trigram indexes (not the ordered scan) are the plan.
    text = _one(alias, "SELECT text FROM post_post WHERE id = %s", [int(meta["max_post"]) // 2])
    words = [w for w in text.split() if not w.startswith("#")]
    rare_phrase = " ".join(words[1:4]) if len(words) >= 4 else words[0]
    rare_user = _one(
        alias,
        "SELECT username FROM user_user WHERE id >= (SELECT MAX(id) * 2 / 3 FROM user_user) "
        "ORDER BY id LIMIT 1",
    )
    return Scenario(
        alias=alias,
        rare_phrase=rare_phrase,
        rare_user=rare_user or "",
        notified=notified,
        heavy=[int(x) for x in meta["heavy"].split(",")],
        typical=[int(x) for x in meta["typical"].split(",")],
        probes={int(c): int(u) for c, u in (p.split(":") for p in meta["probes"].split(","))},
        hashtag=meta["hashtag"],
        search_word=meta["search_word"],
        user_search=meta["user_search"],
        max_post=int(meta["max_post"]),
        comment_posts=comment_posts,
        like_posts=like_posts,
        most_followed=_one(
            alias,
            "SELECT followee_id FROM user_follow f JOIN user_user u ON u.id = f.followee_id "
            "WHERE NOT u.is_private GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1",
        ),
        top_author=_one(
            alias,
            "SELECT author_id FROM post_post p JOIN user_user u ON u.id = p.author_id "
            f"WHERE {readable} GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1",
        ),
        top_liker=_one(
            alias, "SELECT user_id FROM post_like GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"
        ),
        most_liked_post=_one(
            alias,
            "SELECT post_id FROM post_like l JOIN post_post p ON p.id = l.post_id "
            f"JOIN user_user u ON u.id = p.author_id WHERE {readable} "
            "GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1",
        ),
        most_commented_post=_one(
            alias,
            "SELECT post_id FROM post_comment c JOIN post_post p ON p.id = c.post_id "
            f"JOIN user_user u ON u.id = p.author_id WHERE {readable} "
            "GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1",
        ),
    )
