"""Small helpers shared by the post app's API tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

from post.services.posts import post_create
from post.tests.factories import image_bytes


def create_post(author, text="A post", media_ids=(), **kwargs):
    """A post made the way the API makes it, so its hashtags are parsed and linked."""
    return post_create(author=author, text=text, media_ids=list(media_ids), **kwargs)


def image_file(data: bytes | None = None, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, image_bytes() if data is None else data, content_type)


def upload(client, data: bytes | None = None, name="photo.png", content_type="image/png", **extra):
    return client.post(
        "/api/v1/media/",
        {"file": image_file(data, name, content_type), **extra},
        format="multipart",
    )


def follow_pages(client, url, limit=50):
    """Every item of a paginated list, following `next` the way a client does."""
    items, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        items.extend(response.data["results"])
        url = response.data["next"]
        pages += 1
        assert pages <= limit
    return items, pages


def ids(response):
    return [item["id"] for item in response.data["results"]]
