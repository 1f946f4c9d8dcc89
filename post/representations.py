"""The JSON of a post, built from the dict rows of `PostQuerySet.as_rows()`.

`PostSerializer` documents this shape (OpenAPI) and stays the reference: the tests compare
both outputs field for field. Building plain dicts here instead of running a serializer per
post (and per author and media item) is what keeps a page's Python cost low; every value is
already in the row, so nothing here queries the database.
"""

from collections.abc import Iterable

from post.models import Media
from social_media.representations import datetime_formatter, file_url_builder
from user.models import User


def post_representations(rows: Iterable[dict], request) -> list[dict]:
    """The API's JSON for each row, in `PostSerializer`'s field order."""
    file_url = file_url_builder(request, Media._meta.get_field("file").storage)
    thumbnail_url = file_url_builder(request, Media._meta.get_field("thumbnail").storage)
    avatar_url = file_url_builder(request, User._meta.get_field("avatar").storage)
    iso = datetime_formatter()
    return [
        {
            "id": row["id"],
            "author": {
                "id": row["author_id"],
                "username": row["author__username"],
                "display_name": row["author__display_name"],
                "avatar": avatar_url(row["author__avatar"]),
            },
            "text": row["text"],
            "hashtags": row["hashtag_names"],
            "media": [
                {
                    "id": item["id"],
                    "url": file_url(item["file"]),
                    "thumbnail_url": thumbnail_url(item["thumbnail"]),
                    "width": item["width"],
                    "height": item["height"],
                    "description": item["description"],
                }
                for item in row["media_items"]
            ],
            "created_at": iso(row["created_at"]),
            "updated_at": iso(row["updated_at"]),
            "like_count": row["like_count"],
            "comment_count": row["comment_count"],
            # Annotated only for an authenticated viewer (see `with_viewer_state`).
            "liked_by_me": row.get("liked_by_me"),
        }
        for row in rows
    ]
