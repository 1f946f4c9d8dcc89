import re
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower

from social_media.db import active_count, count_subquery

USERNAME_PATTERN = r"^[A-Za-z0-9_]{3,30}$"


def _authenticated(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


@dataclass(frozen=True)
class Relations:
    """What the visibility rule needs to know about one viewer, read in one query."""

    hidden: tuple[int, ...]  # accounts the viewer blocks or is blocked by
    blocked_by: tuple[int, ...]  # of those, the ones that block the viewer
    muted: tuple[int, ...]
    private_followed: tuple[int, ...]  # private accounts the viewer follows


def relations_of(viewer) -> Relations:
    """The viewer's blocks (both ways), mutes and followed private accounts, read once and
    kept on the viewer's instance (a request's `request.user`): the rule then filters by
    short id lists, which the ORM builds and compiles at a fraction of the cost of a
    subquery per condition (bench/analysis.md, "Safety"). The services that change them
    call `relations_forget`."""
    cached = viewer.__dict__.get("_relations")
    if cached is not None:
        return cached
    kind = models.CharField()
    rows = (
        Block.objects.filter(blocker=viewer)
        .values_list(Value("blocking", output_field=kind), "blocked")
        .union(
            Block.objects.filter(blocked=viewer).values_list(
                Value("blocked_by", output_field=kind), "blocker"
            ),
            Mute.objects.filter(muter=viewer).values_list(
                Value("muted", output_field=kind), "muted"
            ),
            Follow.objects.filter(follower=viewer, followee__is_private=True).values_list(
                Value("private", output_field=kind), "followee"
            ),
            all=True,
        )
    )
    found: dict[str, list[int]] = {"blocking": [], "blocked_by": [], "muted": [], "private": []}
    for name, user_id in rows:
        found[name].append(user_id)
    relations = Relations(
        hidden=tuple(sorted({*found["blocking"], *found["blocked_by"]})),
        blocked_by=tuple(sorted(found["blocked_by"])),
        muted=tuple(sorted(found["muted"])),
        private_followed=tuple(sorted(found["private"])),
    )
    viewer.__dict__["_relations"] = relations
    return relations


def relations_forget(*users) -> None:
    """After a write that changes who sees whom (a block, a mute, a follow)."""
    for user in users:
        user.__dict__.pop("_relations", None)


def account_visible(viewer, path: str = "author") -> Q:
    """A condition on the account at `path` (a foreign key to the user): active (a suspended
    account is `is_active=False`) and, for a signed-in `viewer`, no block either way. What a
    comment, a like or a mention needs of its account."""
    rule = Q(**{f"{path}__is_active": True})
    if not _authenticated(viewer):
        return rule
    hidden = relations_of(viewer).hidden
    return rule & ~Q(**{f"{path}__in": hidden}) if hidden else rule


def content_readable_by(viewer, path: str = "author") -> Q:
    """THE rule for posts and reposts: a condition on the account at `path` that holds when
    `viewer` may read what it posted. `account_visible`, and the account is public, or
    `viewer` itself, or a private account `viewer` follows (approved). A filter on the join
    the row already makes: a page pays no query per row."""
    rule = account_visible(viewer, path)
    public = Q(**{f"{path}__is_private": False})
    if not _authenticated(viewer):
        return rule & public
    readable = (viewer.pk, *relations_of(viewer).private_followed)
    return rule & (public | Q(**{f"{path}__in": readable}))


def unmuted_by(viewer, path: str = "author") -> Q:
    """A condition on the account at `path`: not muted by `viewer` (timelines, search and
    notifications apply it; a profile and a direct link do not)."""
    if not _authenticated(viewer):
        return Q()
    muted = relations_of(viewer).muted
    return ~Q(**{f"{path}__in": muted}) if muted else Q()


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, viewer, *, blocked: bool = False):
        """The visibility rule alone: the accounts `viewer` may see. Every read of users
        starts here, also a bare existence check.

        Active accounts, never one that blocks `viewer`, and one that `viewer` blocks only
        with `blocked=True`: its profile by id, the block list and relationships show it
        (so it can be unblocked), every list and search leaves it out. A private account
        is visible (its profile and counts); its content is not (`content_readable_by`).
        """
        users = self.active()
        if not _authenticated(viewer):
            return users
        relations = relations_of(viewer)
        hidden = relations.blocked_by if blocked else relations.hidden
        return users.exclude(pk__in=hidden) if hidden else users

    def for_viewer(self, viewer, *, blocked: bool = False):
        """What a user is rendered from (`UserSerializer`): the visible accounts with their
        counts and `viewer`'s relationship with each."""
        return self.visible_to(viewer, blocked=blocked).with_counts().with_viewer_state(viewer)

    def with_counts(self):
        """The account's totals, read from its stats row (one join, no counting)."""
        return self.annotate(
            **{name: Coalesce(F(f"stats__{name}"), 0) for name in UserStats.COUNTERS}
        )

    def with_viewer_state(self, viewer):
        """`viewer`'s relationship with each account: five EXISTS on the pair's unique
        indexes, none for an anonymous caller."""
        if not _authenticated(viewer):
            return self
        return self.annotate(
            is_following=Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk"))),
            follows_you=Exists(Follow.objects.filter(follower=OuterRef("pk"), followee=viewer)),
            is_blocking=Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef("pk"))),
            is_muting=Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("pk"))),
            follow_requested=Exists(
                FollowRequest.objects.filter(requester=viewer, target=OuterRef("pk"))
            ),
        )

    def relationships_of(self, viewer):
        """Each user's relationship with `viewer`: rows of the id and the flags that
        `RelationshipSerializer` shows, one query for any number of users."""
        return self.with_viewer_state(viewer).values(
            "id", "is_following", "follows_you", "is_blocking", "is_muting", "follow_requested"
        )

    def blocked_by(self, user):
        """Accounts `user` blocks, each with `blocked_at`."""
        return self.filter(pk__in=Block.objects.filter(blocker=user).values("blocked")).annotate(
            blocked_at=Subquery(
                Block.objects.filter(blocker=user, blocked=OuterRef("pk")).values("created_at")
            )
        )

    def muted_by(self, user):
        """Accounts `user` mutes, each with `muted_at`."""
        return self.filter(pk__in=Mute.objects.filter(muter=user).values("muted")).annotate(
            muted_at=Subquery(
                Mute.objects.filter(muter=user, muted=OuterRef("pk")).values("created_at")
            )
        )

    def requesting_to_follow(self, user):
        """Accounts with a pending request to follow `user`, each with `requested_at`."""
        return self.filter(
            pk__in=FollowRequest.objects.filter(target=user).values("requester")
        ).annotate(
            requested_at=Subquery(
                FollowRequest.objects.filter(target=user, requester=OuterRef("pk")).values(
                    "created_at"
                )
            )
        )

    def followers_of(self, user):
        """Users following `user`, each with `followed_at` (when that follow began)."""
        return self.filter(following_relations__followee=user).annotate(
            followed_at=F("following_relations__created_at")
        )

    def likers_of(self, post):
        """Users who liked `post`, each with `liked_at` (when that like was given)."""
        return self.filter(likes__post=post).annotate(liked_at=F("likes__created_at"))

    def followed_by(self, user):
        """Users that `user` follows, each with `followed_at`."""
        return self.filter(follower_relations__follower=user).annotate(
            followed_at=F("follower_relations__created_at")
        )


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    def free_username_for(self, email: str) -> str:
        """A free username from the email's local part (`Ada.L+x@…` → `adal`, `adal_7f3a`…)."""
        base = re.sub(r"[^A-Za-z0-9_]", "", email.split("@", 1)[0].split("+", 1)[0])[:24]
        base = (base or "user").ljust(3, "_")
        candidate = base
        while self.filter(username__iexact=candidate).exists():
            candidate = f"{base}_{secrets.token_hex(2)}"
        return candidate

    def _create_user(self, username, email, password, **extra_fields):
        return super()._create_user(username, email.strip().lower(), password, **extra_fields)

    def create_user(self, email, password=None, username=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(
            username or self.free_username_for(email), email, password, **extra_fields
        )

    def create_superuser(self, email, password=None, username=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self.create_user(email, password, username, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email=email.strip().lower())


class User(AbstractUser):
    """An account; the email is the login. Profile fields live here to avoid a join per read."""

    username = models.CharField(
        max_length=30,
        validators=[
            RegexValidator(
                USERNAME_PATTERN,
                "3 to 30 characters: letters, digits and underscores only.",
            )
        ],
    )
    email = models.EmailField(
        unique=True, error_messages={"unique": "A user with that email already exists."}
    )
    first_name = None
    last_name = None

    display_name = models.CharField(max_length=50, blank=True)
    bio = models.CharField(max_length=300, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    location = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    # Posts, reposts and follow lists for the account and its followers only; following it
    # takes a request the owner approves.
    is_private = models.BooleanField(default=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = UserManager()

    class Meta:
        ordering = ["id"]
        constraints = [
            # Emails are stored lower-cased and unique, so uniqueness is case-insensitive
            # in the database itself: two concurrent registrations of "A@x.io" and
            # "a@x.io" cannot both succeed. Usernames keep their case for display.
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_lower"),
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]
        indexes = [
            # The user list's keyset orders (`-date_joined` is the default, `username` the
            # other indexable one): page N reads N pages of index, never the whole table.
            models.Index(F("date_joined").desc(), F("id").desc(), name="user_recent"),
            models.Index(fields=["username", "id"], name="user_username_order"),
        ]

    def __str__(self):
        return self.username

    def save(self, *args, **kwargs):
        # Every account has its totals row from the start, whichever way it is made
        # (registration, the admin, createsuperuser, a factory): the counters only update it.
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            UserStats.objects.get_or_create(user=self)


class AccountRelation(models.Model):
    """One account's standing relation to another (a follow, a block, a mute), dated.
    `described_as`, for `str()`: the two sides' fields and the verb between them."""

    described_as: tuple[str, str, str]

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        source, verb, target = self.described_as
        return f"{getattr(self, f'{source}_id')} {verb} {getattr(self, f'{target}_id')}"


def one_way_pair(prefix: str, source: str, target: str) -> list[models.BaseConstraint]:
    """At most one row per (source, target), and none from an account to itself. The unique
    constraint is also the (source, target) index that lookups of the pair use."""
    return [
        models.UniqueConstraint(fields=[source, target], name=f"{prefix}_unique_pair"),
        models.CheckConstraint(condition=~Q(**{source: F(target)}), name=f"{prefix}_not_self"),
    ]


class Follow(AccountRelation):
    follower = models.ForeignKey(User, on_delete=models.CASCADE, related_name="following_relations")
    followee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follower_relations")

    described_as = ("follower", "->", "followee")

    class Meta:
        constraints = one_way_pair("follow", "follower", "followee")
        indexes = [
            # "Who follows X, newest first" and "whom does X follow, newest first"; the
            # unique constraint's index already serves lookups by (follower, followee).
            models.Index(F("followee"), F("created_at").desc(), name="follow_followee_recent"),
            models.Index(F("follower"), F("created_at").desc(), name="follow_follower_recent"),
        ]


class FollowRequest(AccountRelation):
    """A request to follow a private account, pending until its owner approves (it becomes a
    `Follow`) or rejects it, or the requester withdraws it."""

    requester = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", db_index=False)

    described_as = ("requester", "?->", "target")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target", "requester"], name="followrequest_unique"),
            models.CheckConstraint(
                condition=~Q(requester=F("target")), name="followrequest_not_self"
            ),
        ]
        indexes = [
            # The owner's queue, oldest first.
            models.Index(fields=["target", "created_at", "id"], name="followrequest_queue"),
        ]


class Block(AccountRelation):
    """`blocker` blocks `blocked`: neither sees the other's content; only the blocker lifts it."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", db_index=False)
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    described_as = ("blocker", "blocks", "blocked")

    class Meta:
        # Its unique pair is also the index of the visibility rule and the blocks list.
        constraints = one_way_pair("block", "blocker", "blocked")


class Mute(AccountRelation):
    """`muter` no longer sees `muted`'s posts in timelines, nor its notifications; `muted`
    sees no difference."""

    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", db_index=False)
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    described_as = ("muter", "mutes", "muted")

    class Meta:
        constraints = one_way_pair("mute", "muter", "muted")


class UserStatsQuerySet(models.QuerySet):
    def live_counts(self) -> dict:
        """What each counter must hold, counted from the rows: follows between active
        accounts only (a suspended account's follows leave both totals until it returns),
        and the account's posts. `manage.py recount` compares and repairs with these."""
        # Posts through the reverse relation the post app declares: `user` imports nothing
        # from `post` (apps depend one way, checked by `lint-imports`).
        posts = User._meta.get_field("posts").related_model
        return {
            "followers_count": active_count(Follow, "followee", by="follower"),
            "following_count": active_count(Follow, "follower", by="followee"),
            "posts_count": count_subquery(posts.objects.filter(author=OuterRef("pk")), "author"),
        }


class UserStats(models.Model):
    """An account's totals, read for free: written with F() in the transaction of their cause
    by the follow and post services, repaired by `manage.py recount`. A row of its own, not
    columns of the account: the account's row is locked for other reasons (scheduling, a
    profile edit), and a total bumped on it would order those locks against every like of a
    post and every follow."""

    COUNTERS = ("followers_count", "following_count", "posts_count")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    followers_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)
    posts_count = models.PositiveIntegerField(default=0)

    objects = UserStatsQuerySet.as_manager()

    def __str__(self):
        return f"Totals of {self.user_id}"
