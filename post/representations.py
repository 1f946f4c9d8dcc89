"""The JSON of a post, built from the dict rows of `PostQuerySet.as_rows()`.

`PostSerializer` documents this shape (OpenAPI) and stays the reference: the tests compare
both outputs field for field. Building plain dicts here instead of running a serializer per
post (and per author and media item) is what keeps a page's Python cost low; every value is
already in the row, so nothing here queries the database.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.encoding import filepath_to_uri
from rest_framework.fields import ISO_8601, DateTimeField
from rest_framework.settings import api_settings

from post.models import Media
from user.models import User

_DATETIME_FIELD = DateTimeField(read_only=True)


def file_url_builder(request, storage) -> Callable[[str], str | None]:
    """A function from a name stored in `storage` to its absolute URL (None for no file), as
    `absolute_url(request, field_file)` gives it.

    For the file-system storage the URL is the storage's base URL plus the quoted name, so the
    base is made absolute once per request rather than `urljoin` + `build_absolute_uri` per
    file. Names come from `upload_to` and are validated by the storage on save (no `..`, no
    absolute paths), for which `urljoin(base, name)` is exactly `base + name`.
    """
    absolute = request.build_absolute_uri if request is not None else str
    base = storage.base_url if hasattr(storage, "base_url") else None  # sets up a lazy storage
    if base is not None and type(getattr(storage, "_wrapped", storage)).url is (
        FileSystemStorage.url
    ):
        base = absolute(base)

        def url(name):
            return base + filepath_to_uri(name).lstrip("/") if name else None

        return url

    def generic_url(name):
        return absolute(storage.url(name)) if name else None

    return generic_url


def datetime_formatter() -> Callable:
    """DRF's `DateTimeField.to_representation`, with the ISO 8601 case inlined: the current
    time zone is looked up once per page, not twice per row."""
    output_format = getattr(_DATETIME_FIELD, "format", api_settings.DATETIME_FORMAT)
    if not settings.USE_TZ or output_format is None or output_format.lower() != ISO_8601:
        return _DATETIME_FIELD.to_representation
    zone = timezone.get_current_timezone()

    def iso(value):
        if not value:
            return None
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return iso


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
