"""Media on object storage: with MEDIA_STORAGE=s3 uploads, reads and deletes go to a bucket.

The bucket is served by moto's S3 server, started in this process on a free port of
127.0.0.1: no network beyond localhost, no real AWS account. The settings under test are the
ones `social_media.settings.media_storage` builds from the environment, as a deployment with
MEDIA_STORAGE=s3 gets them; everything else goes through the HTTP API, and the bucket is
checked with boto3 directly.
"""

import io
import json
import logging
import os
import sys
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import boto3
import environ
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from moto.server import ThreadedMotoServer
from PIL import Image
from storages.backends.s3 import S3Storage

from social_media.settings import media_storage
from tests.processes import run_captured

pytestmark = pytest.mark.django_db

S3_BACKEND = "storages.backends.s3.S3Storage"
REGION = "us-east-1"
# Dummy keys: moto accepts any, and boto3 must never look for real ones.
ACCESS_KEY, SECRET_KEY = "testing-access-key", "testing-secret-key"
# Plain requests to 127.0.0.1, whatever proxy the machine's environment names.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def public_read_policy(bucket: str) -> str:
    """What the README asks of a media bucket: anyone may read its objects (GetObject)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    )


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on a free local port, with boto3 kept away from real credentials,
    config files, instance metadata and proxies for as long as this module runs."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("AWS_"):
                patch.delenv(name)
        patch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        patch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        patch.setenv("AWS_DEFAULT_REGION", REGION)
        patch.setenv("AWS_CONFIG_FILE", os.devnull)
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        patch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        for name in ("NO_PROXY", "no_proxy"):
            patch.setenv(name, "127.0.0.1,localhost")
        # One log line per request would bury a failure's own output.
        requests_log = logging.getLogger("werkzeug")
        level = requests_log.level
        requests_log.setLevel(logging.WARNING)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()
            requests_log.setLevel(level)


@pytest.fixture(scope="module")
def s3_client(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


@pytest.fixture
def bucket(s3_client):
    """A new, publicly readable bucket for each test."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    s3_client.put_bucket_policy(Bucket=name, Policy=public_read_policy(name))
    return name


@pytest.fixture
def s3_settings(monkeypatch, s3_endpoint, bucket):
    """STORAGES["default"] as the settings build it from a MEDIA_STORAGE=s3 environment,
    in force for the test (overriding STORAGES resets `default_storage`, which every
    FileField without a storage of its own uses)."""
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", bucket)
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("AWS_S3_REGION_NAME", REGION)
    default = media_storage(environ.Env())
    with override_settings(STORAGES={**settings.STORAGES, "default": default}):
        assert isinstance(default_storage, S3Storage)
        assert default_storage.bucket_name == bucket
        yield default


def png(size=(320, 240), color=(200, 30, 30), name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def keys(s3_client, bucket: str) -> set[str]:
    listed = s3_client.list_objects_v2(Bucket=bucket)
    return {entry["Key"] for entry in listed.get("Contents", ())}


def key_of(url: str, endpoint: str, bucket: str) -> str:
    prefix = f"{endpoint}/{bucket}/"
    assert url.startswith(prefix), url
    return url.removeprefix(prefix)


def fetch(url: str) -> tuple[bytes, str]:
    """The body and Content-Type of an anonymous GET, as a client of the API makes it."""
    with DIRECT.open(url, timeout=10) as response:
        return response.read(), response.headers["Content-Type"]


def fetch_status(url: str) -> int:
    try:
        with DIRECT.open(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# --- The settings a MEDIA_STORAGE environment gives ---------------------------------------


def test_media_storage_defaults_to_the_file_system(monkeypatch):
    monkeypatch.delenv("MEDIA_STORAGE", raising=False)

    assert media_storage(environ.Env()) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_media_storage_s3_reads_its_options_from_the_environment(monkeypatch, s3_endpoint):
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "social-media")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("AWS_S3_REGION_NAME", "eu-central-1")
    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "media.example.com")

    storage = media_storage(environ.Env())

    assert storage == {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": "social-media",
            "endpoint_url": s3_endpoint,
            "region_name": "eu-central-1",
            "custom_domain": "media.example.com",
            "addressing_style": None,
            "querystring_auth": False,
            "file_overwrite": False,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
        },
    }


def test_media_storage_s3_without_keys_leaves_them_to_boto3(monkeypatch, s3_endpoint):
    """No key in the environment: none in the settings either, so boto3 finds its own (an
    instance or task role) rather than being handed an empty one."""
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "social-media")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")

    options = media_storage(environ.Env())["OPTIONS"]

    assert "access_key" not in options
    assert "secret_key" not in options


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"MEDIA_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME"),
        ({"MEDIA_STORAGE": "ftp"}, "filesystem or s3"),
    ],
)
def test_media_storage_refuses_an_incomplete_or_unknown_setting(monkeypatch, variables, message):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=message):
        media_storage(environ.Env())


def test_a_process_started_with_media_storage_s3_stores_media_in_the_bucket(s3_endpoint):
    """The real settings module in a process of its own: MEDIA_STORAGE=s3 makes S3 the
    default storage, and Django stops serving MEDIA_URL even with DEBUG and SERVE_MEDIA on."""
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.files.storage import default_storage as s\n"
        "from django.urls import resolve, Resolver404\n"
        "try:\n"
        "    resolve(settings.MEDIA_URL + 'media/x.png'); served = True\n"
        "except Resolver404:\n"
        "    served = False\n"
        "print(json.dumps({'backend': f'{s.__class__.__module__}.{s.__class__.__name__}',\n"
        "    'bucket': s.bucket_name, 'endpoint': s.endpoint_url,\n"
        "    'serve_media': settings.SERVE_MEDIA, 'served': served}))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "social_media.settings",
        "DEBUG": "1",
        "SERVE_MEDIA": "1",
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "social-media",
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
    }

    result = run_captured([sys.executable, "-c", script], env=env, timeout=60)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "backend": S3_BACKEND,
        "bucket": "social-media",
        "endpoint": s3_endpoint,
        "serve_media": False,
        "served": False,
    }


# --- Through the API, against the bucket --------------------------------------------------


def test_media_is_uploaded_read_and_deleted_in_the_bucket(
    s3_settings, s3_client, s3_endpoint, bucket, auth_client, django_capture_on_commit_callbacks
):
    response = auth_client.post(
        "/api/v1/media/", {"file": png(), "description": "Red"}, format="multipart"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    file_key = key_of(body["url"], s3_endpoint, bucket)
    thumbnail_key = key_of(body["thumbnail_url"], s3_endpoint, bucket)
    assert file_key.startswith("media/")
    assert file_key.endswith(".png")
    assert thumbnail_key.startswith("thumbnails/")
    assert keys(s3_client, bucket) == {file_key, thumbnail_key}
    # The URL is public: an anonymous GET of it gives the stored bytes, an image.
    stored = s3_client.get_object(Bucket=bucket, Key=file_key)["Body"].read()
    content, content_type = fetch(body["url"])
    assert content == stored
    assert content_type == "image/png"
    assert Image.open(io.BytesIO(content)).size == (320, 240)
    thumbnail, _ = fetch(body["thumbnail_url"])
    assert max(Image.open(io.BytesIO(thumbnail)).size) <= 400

    created = auth_client.post(
        "/api/v1/posts/", {"text": "On object storage", "media_ids": [body["id"]]}
    )
    assert created.status_code == 201, created.content
    post_id = created.json()["id"]
    shown = auth_client.get(f"/api/v1/posts/{post_id}/")
    assert shown.status_code == 200, shown.content
    [media] = shown.json()["media"]
    assert (media["url"], media["thumbnail_url"]) == (body["url"], body["thumbnail_url"])
    assert fetch(media["url"])[0] == stored

    with django_capture_on_commit_callbacks(execute=True):
        assert auth_client.delete(f"/api/v1/posts/{post_id}/").status_code == 204

    assert keys(s3_client, bucket) == set()
    assert fetch_status(body["url"]) == 404


def test_avatar_is_uploaded_replaced_and_deleted_in_the_bucket(
    s3_settings, s3_client, s3_endpoint, bucket, auth_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = auth_client.put("/api/v1/users/me/avatar/", {"avatar": png()}, format="multipart")
    assert first.status_code == 200, first.content
    first_key = key_of(first.json()["avatar"], s3_endpoint, bucket)
    assert first_key.startswith("avatars/")
    assert keys(s3_client, bucket) == {first_key}
    content, _ = fetch(first.json()["avatar"])
    assert Image.open(io.BytesIO(content)).size == (320, 240)

    with django_capture_on_commit_callbacks(execute=True):
        second = auth_client.put(
            "/api/v1/users/me/avatar/", {"avatar": png(color=(0, 0, 200))}, format="multipart"
        )
    assert second.status_code == 200, second.content
    second_key = key_of(second.json()["avatar"], s3_endpoint, bucket)
    assert keys(s3_client, bucket) == {second_key}  # the replaced one is gone
    assert auth_client.get("/api/v1/users/me/").json()["avatar"] == second.json()["avatar"]

    with django_capture_on_commit_callbacks(execute=True):
        assert auth_client.delete("/api/v1/users/me/avatar/").status_code == 204

    assert keys(s3_client, bucket) == set()
    assert auth_client.get("/api/v1/users/me/").json()["avatar"] is None


def test_cleanup_tasks_list_and_delete_in_the_bucket(
    s3_settings,
    s3_client,
    s3_endpoint,
    bucket,
    auth_client,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """The beat tasks that sweep unattached uploads and orphaned avatars work on a bucket
    (they list the avatars folder and read each file's modification time)."""
    from post.tasks import delete_unattached_media
    from user.tasks import delete_orphaned_avatars

    upload = auth_client.post("/api/v1/media/", {"file": png()}, format="multipart")
    assert upload.status_code == 201, upload.content
    avatar = auth_client.put("/api/v1/users/me/avatar/", {"avatar": png()}, format="multipart")
    assert avatar.status_code == 200, avatar.content
    avatar_key = key_of(avatar.json()["avatar"], s3_endpoint, bucket)
    # What a request that died between writing the file and saving the row leaves behind.
    s3_client.put_object(Bucket=bucket, Key="avatars/orphan.png", Body=png().read())
    assert len(keys(s3_client, bucket)) == 4

    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_unattached_media() == 1
    assert delete_orphaned_avatars() == 1

    assert keys(s3_client, bucket) == {avatar_key}
