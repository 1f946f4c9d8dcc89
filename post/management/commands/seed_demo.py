"""`python manage.py seed_demo`: a believable, reproducible data set to explore the API with.

Everything is drawn from one seeded `random.Random` and a seeded Faker, so the same
`--seed` gives the same people, texts, tags and pictures. Writes go through the apps'
services (post creation parses hashtags, media uploads and avatars are decoded and
re-encoded like real uploads, scheduled posts get their publish task, follows, likes,
comments, mentions, reposts and quotes notify), so the data looks exactly like data the API
made. Timestamps are spread over the past two weeks, relative to now; each notification
carries its cause's, and everyone has read all but their newest few.

Seeded accounts are `demo@example.com` and `<name>@demo.example.com`; `--reset` deletes
exactly those (with their posts, files and everything else they own) before seeding again.
"""

import colorsys
import io
import random
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from faker import Faker
from PIL import Image, ImageDraw

from moderation.services import report_create
from post.management.demo_notifications import notifications_settle
from post.models import Comment, Hashtag, Like, Post
from post.services.interactions import comment_create, like_create
from post.services.media import media_create
from post.services.posts import post_create
from post.services.reposts import repost_create
from post.services.scheduling import scheduled_post_create
from social_media.images import process_image
from user.models import Follow, User
from user.serializers import AVATAR_MAX_SIDE
from user.services.accounts import user_delete, user_profile_update
from user.services.relationships import (
    FOLLOWED,
    block_create,
    follow_create,
    follow_delete,
    follow_request_approve,
)

DEMO_EMAIL = "demo@example.com"
DEMO_DOMAIN = "demo.example.com"
HISTORY = timedelta(days=14)
SAFETY_MIN_USERS = 8

TOPICS = {
    "python": ["Python", "Django", "Celery", "PyCon"],
    "coffee": ["Coffee", "Espresso", "MorningRoutine"],
    "travel": ["Travel", "Lisbon", "Hiking", "Sunset"],
    "food": ["Food", "Baking", "Sourdough", "Ramen"],
    "books": ["Books", "SciFi", "ReadingList"],
    "music": ["Music", "Jazz", "Vinyl"],
    "photo": ["Photography", "Film", "Street"],
    "running": ["Running", "Marathon", "Fitness"],
}
OPENERS = [
    "Just finished",
    "Can't stop thinking about",
    "Weekend plans:",
    "Hot take:",
    "Today I learned:",
    "Small win:",
    "Recommendation:",
    "Question for everyone:",
]
REPLIES = [
    "Love this!",
    "Totally agree.",
    "Where was this taken?",
    "Saving this for later.",
    "Ha, same here.",
    "Great point, thanks for sharing.",
    "This made my day.",
    "Tell us more!",
    "Congrats!",
    "Bookmarked.",
]


class Command(BaseCommand):
    help = "Fill the database with reproducible demo data and print a demo login."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=25, help="accounts (at least 2)")
        parser.add_argument("--posts", type=int, default=150, help="published posts")
        parser.add_argument("--seed", type=int, default=42, help="same seed, same data")
        parser.add_argument("--reset", action="store_true", help="delete earlier demo data first")

    def handle(self, *args, users: int, posts: int, seed: int, reset: bool, **options):
        if users < 2:
            raise CommandError("--users must be at least 2 (the demo user and someone else).")
        if posts < 0:
            raise CommandError("--posts cannot be negative.")
        existing = User.objects.filter(Q(email=DEMO_EMAIL) | Q(email__endswith=f"@{DEMO_DOMAIN}"))
        if existing.exists():
            if not reset:
                raise CommandError(
                    "Demo data already exists; run again with --reset to replace it."
                )
            self._reset(existing)

        seeder = Seeder(seed=seed, log=self.stdout.write)
        with transaction.atomic():
            summary = seeder.run(users=users, posts=posts)

        self.stdout.write(self.style.SUCCESS(summary))
        self.stdout.write(
            f"\nLog in as {DEMO_EMAIL} with password {seeder.password}\n"
            "  curl -X POST http://127.0.0.1:8000/api/v1/auth/login/ "
            "-H 'Content-Type: application/json' \\\n"
            f'    -d \'{{"email": "{DEMO_EMAIL}", "password": "{seeder.password}"}}\'\n'
        )

    def _reset(self, existing):
        count = 0
        for user in existing.iterator():
            user_delete(user=user)  # rows by cascade, then their files
            count += 1
        # Tags only the deleted posts used would otherwise linger in searches.
        Hashtag.objects.filter(posts__isnull=True).delete()
        self.stdout.write(f"Deleted {count} demo accounts and everything they owned.")


class Seeder:
    def __init__(self, *, seed: int, log):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.fake = Faker()
        self.fake.seed_instance(seed)
        self.log = log
        self.now = timezone.now()
        words = self.fake.words(nb=3, unique=True)
        self.password = f"{'-'.join(words)}-{self.rng.randint(100, 999)}"

    # --- people -----------------------------------------------------------------------

    def run(self, *, users: int, posts: int) -> str:
        people = self.create_users(users)
        follows = self.create_follows(people)
        made = self.create_posts(people, posts)
        likes, comments = self.create_reactions(people, made)
        reposts = self.create_reposts(people, made)
        scheduled = self.create_scheduled(people)
        safety = self.create_safety(people, made)
        notifications, unread = notifications_settle(people=people, rng=self.rng)
        with_images = sum(1 for post in made if post.media.exists())
        quotes = sum(1 for post in made if post.quote_of_id)
        return (
            f"Demo data: {len(people)} users, {follows} follows, {len(made)} posts "
            f"({with_images} with images, {quotes} quotes), {reposts} reposts, {likes} likes, "
            f"{comments} comments, {scheduled} scheduled posts, {notifications} notifications "
            f"({unread} unread), {safety}."
        )

    def create_users(self, count: int) -> list[User]:
        hashed = make_password(self.password)  # one slow hash, shared by every demo account
        people, usernames = [], set()
        for index in range(count):
            first, last = self.fake.first_name(), self.fake.last_name()
            if index == 0:
                email, username, display = DEMO_EMAIL, "demo", "Demo User"
            else:
                base = re.sub(r"[^a-z0-9_]", "", f"{first}_{last}".lower())[:24]
                username = base
                while username in usernames:
                    username = f"{base}{self.rng.randint(2, 99)}"
                email, display = f"{username}@{DEMO_DOMAIN}", f"{first} {last}"
            usernames.add(username)
            topics = self.rng.sample(sorted(TOPICS), 2)
            user = User.objects.create_user(email=email, password=None, username=username)
            user.password = hashed
            user.date_joined = self.now - HISTORY - timedelta(days=self.rng.randint(1, 300))
            user.save(update_fields=["password", "date_joined"])
            user.demo_topics = topics
            fields = {
                "display_name": display,
                "bio": f"{self.fake.job()}. Into {topics[0]} and {topics[1]}."[:300],
                "location": self.fake.city() if self.rng.random() < 0.8 else "",
                "website": f"https://{username.replace('_', '-')}.example.org"
                if self.rng.random() < 0.4
                else "",
            }
            avatar = process_image(
                ContentFile(self.avatar_png(), name="avatar.png"),
                max_bytes=settings.AVATAR_MAX_BYTES,
                max_side=AVATAR_MAX_SIDE,
            ).file
            user_profile_update(user=user, fields=fields, avatar=avatar)
            people.append(user)
        return people

    def create_follows(self, people: list[User]) -> int:
        count = 0
        demo, others = people[0], people[1:]
        for user in people:
            candidates = [p for p in people if p.pk != user.pk]
            picks = self.rng.sample(candidates, min(len(candidates), self.rng.randint(2, 8)))
            # The demo account follows and is followed by most people: a full feed at once.
            if user is demo:
                picks = self.rng.sample(others, max(1, len(others) * 3 // 4))
            elif demo not in picks and self.rng.random() < 0.7:
                picks.append(demo)
            for followee in picks:
                count += follow_create(follower=user, followee=followee) == FOLLOWED
        for pk in Follow.objects.filter(follower__in=people).values_list("pk", flat=True):
            Follow.objects.filter(pk=pk).update(created_at=self._random_past(HISTORY))
        return count

    # --- posts ------------------------------------------------------------------------

    def post_text(self, user: User, mention: User | None = None) -> str:
        topic = self.rng.choice(user.demo_topics)
        tags = self.rng.sample(TOPICS[topic], self.rng.randint(1, 2))
        sentence = self.fake.sentence(nb_words=self.rng.randint(6, 14)).rstrip(".")
        text = f"{self.rng.choice(OPENERS)} {sentence.lower()}."
        if mention is not None:
            text = f"{text} cc @{mention.username}"
        return f"{text} {' '.join('#' + tag for tag in tags)}"

    def someone_else(self, people: list[User], user: User) -> User:
        return self.rng.choice([person for person in people if person.pk != user.pk])

    def create_posts(self, people: list[User], count: int) -> list[Post]:
        # Oldest first, so ids grow with time as they do in real use; about a third land in
        # the last day so that trending hashtags have something to show.
        moments = sorted(
            self._random_past(timedelta(days=1) if self.rng.random() < 0.35 else HISTORY)
            for _ in range(count)
        )
        made = []
        for index, created_at in enumerate(moments):
            author = self.rng.choice(people)
            # About a fifth mention someone, a tenth quote an earlier post (at least one each).
            mention = (
                self.someone_else(people, author) if index == 1 or self.rng.random() < 0.2 else None
            )
            quoted = (
                self.rng.choice(made) if made and (index == 2 or self.rng.random() < 0.1) else None
            )
            media_ids = []
            if self.rng.random() < 0.25:
                for _ in range(self.rng.randint(1, 2)):
                    upload = ContentFile(self.picture_png(), name="picture.png")
                    description = self.fake.sentence(nb_words=6)
                    media_ids.append(
                        media_create(owner=author, upload=upload, description=description).pk
                    )
            made.append(
                post_create(
                    author=author,
                    text=self.post_text(author, mention),
                    media_ids=media_ids,
                    created_at=created_at,
                    quote_of=quoted.pk if quoted else None,
                )
            )
        return made

    def create_reposts(self, people: list[User], posts: list[Post]) -> int:
        """About one post in ten is reposted by someone, some time after it was posted."""
        count = 0
        for index, post in enumerate(posts):
            if index != 0 and self.rng.random() >= 0.1:
                continue
            reposter = self.someone_else(people, post.author)
            repost, created = repost_create(user=reposter, post=post)
            if created:
                Post.objects.filter(pk=repost.pk).update(
                    created_at=self._random_past(self.now - post.created_at)
                )
                count += 1
        return count

    def create_safety(self, people: list[User], posts: list[Post]) -> str:
        """A private account with one approved follower and two pending requests (one the
        demo account's), a block by the demo account, and a report of a post: the moderation
        queue in the admin has something to show. Only with eight accounts or more: in a
        smaller set they would take most of the demo account's follows with them."""
        demo, *others = people
        if len(people) < SAFETY_MIN_USERS:
            return f"no private account, block or report (fewer than {SAFETY_MIN_USERS} users)"
        locked, approved, blocked = self.rng.sample(others, 3)
        user_profile_update(user=locked, fields={"is_private": True})
        for follower in (approved, demo, blocked):
            # Anew: a follow from before the account went private would simply stay.
            follow_delete(follower=follower, followee=locked)
            follow_create(follower=follower, followee=locked)
        follow_request_approve(target=locked, requester_id=approved.pk)
        block_create(blocker=demo, blocked=blocked)
        reported = Post.objects.visible_to(demo).exclude(author=demo).first()
        report_create(
            reporter=demo,
            target_type="post",
            target_id=reported.pk,
            reason="spam",
            note="Looks like an advertisement.",
        )
        return f"@{locked.username} private with 2 pending follow requests, 1 block, 1 report"

    def create_reactions(self, people: list[User], posts: list[Post]) -> tuple[int, int]:
        likes = comments = replies = 0
        for post in posts:
            age = self.now - post.created_at
            fans = self.rng.sample(people, self.rng.randint(0, min(len(people), 8)))
            for fan in fans:
                if like_create(user=fan, post=post):
                    likes += 1
                    Like.objects.filter(user=fan, post=post).update(
                        created_at=self._random_past(age)
                    )
            thread = []
            for _ in range(self.rng.choice([0, 0, 1, 1, 2, 3])):
                author = self.rng.choice(people)
                # About a third answer an earlier comment (the first chance always does):
                # threads, not only a flat list.
                answer = thread and (not replies or self.rng.random() < 0.3)
                parent = self.rng.choice(thread) if answer else None
                replies += parent is not None
                text = self.rng.choice(REPLIES)
                if parent is not None and parent.author_id != author.pk:
                    text = f"@{parent.author.username} {text}"
                comment = comment_create(
                    author=author,
                    post=post,
                    text=text,
                    in_reply_to=parent.pk if parent else None,
                )
                # Oldest first, a reply after what it answers.
                moment = self._random_past(
                    (self.now - parent.created_at) if parent else age, minimum=1
                )
                Comment.objects.filter(pk=comment.pk).update(created_at=moment)
                comment.created_at = moment
                thread.append(comment)
                comments += 1
        return likes, comments

    def create_scheduled(self, people: list[User]) -> int:
        count = 0
        for author in [people[0], *self.rng.sample(people[1:], min(2, len(people) - 1))]:
            for _ in range(2 if author is people[0] else 1):
                publish_at = self.now + timedelta(minutes=self.rng.randint(30, 3 * 24 * 60))
                scheduled_post_create(
                    author=author, text=self.post_text(author), publish_at=publish_at
                )
                count += 1
        return count

    # --- helpers ----------------------------------------------------------------------

    def _random_past(self, within: timedelta, minimum: float = 60):
        seconds = within.total_seconds()
        return self.now - timedelta(seconds=self.rng.uniform(min(minimum, seconds), seconds))

    def _color(self, lightness: float) -> tuple[int, int, int]:
        r, g, b = colorsys.hls_to_rgb(self.rng.random(), lightness, 0.55)
        return int(r * 255), int(g * 255), int(b * 255)

    def avatar_png(self) -> bytes:
        """A symmetric 5x5 identicon on a soft background, like many services' defaults."""
        size, cells = 256, 5
        image = Image.new("RGB", (size, size), self._color(0.92))
        draw = ImageDraw.Draw(image)
        ink, step, margin = self._color(0.45), size // (cells + 1), size // (2 * (cells + 1))
        for row in range(cells):
            for column in range((cells + 1) // 2):
                if self.rng.random() < 0.5:
                    for col in {column, cells - 1 - column}:
                        x, y = margin + col * step, margin + row * step
                        draw.rectangle([x, y, x + step - 1, y + step - 1], fill=ink)
        return _png(image)

    def picture_png(self) -> bytes:
        """A small 'landscape': a sky gradient, a sun and a few hills."""
        width, height = 640, 427
        image = Image.new("RGB", (width, height))
        draw = ImageDraw.Draw(image)
        top, bottom = self._color(0.55), self._color(0.85)
        for y in range(height):
            t = y / height
            draw.line(
                [(0, y), (width, y)],
                fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
            )
        sun_x, sun_y = self.rng.randint(60, width - 60), self.rng.randint(40, height // 2)
        draw.ellipse([sun_x - 35, sun_y - 35, sun_x + 35, sun_y + 35], fill=(255, 221, 120))
        for layer in range(3):
            ground = self._color(0.25 + 0.1 * layer)
            base = height - 40 * (3 - layer)
            points = [(0, height)]
            for x in range(0, width + 80, 80):
                points.append((x, base - self.rng.randint(0, 90)))
            points.append((width, height))
            draw.polygon(points, fill=ground)
        return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
