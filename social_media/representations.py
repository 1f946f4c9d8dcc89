"""Building blocks of `post.serializers`' rendering of rows: values as DRF's fields would
render them, set up once per page rather than per row."""

from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.encoding import filepath_to_uri
from rest_framework.fields import ISO_8601, DateTimeField
from rest_framework.settings import api_settings

_DATETIME_FIELD = DateTimeField(read_only=True)


def file_url_builder(request, storage) -> Callable[[str], str | None]:
    """A function from a name stored in `storage` to its absolute URL (None for no file), as
    DRF's `ImageField` gives it (`request.build_absolute_uri(field_file.url)`).

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
