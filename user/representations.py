"""The JSON of a user in lists, built from the dict rows of `UserQuerySet.as_rows()`.

`UserSerializer` documents this shape (OpenAPI) and stays the reference: the tests compare
both outputs field for field. User search, followers, following and likers build plain dicts
here instead of a model instance and a serializer per user (every column, the password hash
included, then ~15 field objects each); every value is already in the row.
"""

from collections.abc import Iterable

from social_media.representations import datetime_formatter, file_url_builder
from user.models import User


def user_representations(rows: Iterable[dict], request) -> list[dict]:
    """The API's JSON for each row, in `UserSerializer`'s field order."""
    avatar_url = file_url_builder(request, User._meta.get_field("avatar").storage)
    iso = datetime_formatter()
    return [
        {
            "id": row["id"],
            "username": row["username"],
            "display_name": row["display_name"],
            "bio": row["bio"],
            "avatar": avatar_url(row["avatar"]),
            "location": row["location"],
            "website": row["website"],
            "date_joined": iso(row["date_joined"]),
            "followers_count": row["followers_count"],
            "following_count": row["following_count"],
            "posts_count": row["posts_count"],
            # Annotated only for an authenticated viewer (see `with_viewer_state`).
            "is_following": row.get("is_following"),
            "follows_you": row.get("follows_you"),
        }
        for row in rows
    ]
