from http import HTTPStatus

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework.response import Response

ERROR_DETAILS = {
    404: "Not found.",
    500: "Internal server error.",
}


def _error_detail(request, status: int) -> str:
    if status == 405:
        # DRF's wording, so a 405 reads the same whichever kind of view refused the method.
        return f'Method "{request.method}" not allowed.'
    return ERROR_DETAILS.get(status) or f"{HTTPStatus(status).phrase}."


class JSONErrorsMiddleware:
    """Any error under /api/ that is not JSON becomes `{"detail": "…"}`.

    handler404 and handler500 only run with DEBUG off: with it on, an unroutable path or an
    unhandled exception gets Django's technical HTML page, and plain Django views (a method
    refused by `require_POST`) answer with an empty HTML body either way. Outermost, so it
    also sees what other middleware answers. DRF's own responses are left alone: they are
    already JSON, or the Accept header asked for the browsable API.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or isinstance(response, Response)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        json_response = JsonResponse({"detail": _error_detail(request, status)}, status=status)
        # The headers other middleware added (CORS, security, Vary, rate limits) still apply.
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length"):
                json_response[header] = value
        if response.has_header("Content-Length"):
            json_response["Content-Length"] = str(len(json_response.content))
        json_response.cookies = response.cookies
        return json_response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds REQUEST_MAX_BYTES before anything reads it.

    Django's own limits skip file parts of multipart bodies, so without this a client could
    stream an arbitrarily large upload to disk before the serializer gets to say no.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Invalid Content-Length header."}, status=400)
        if length > settings.REQUEST_MAX_BYTES:
            return JsonResponse({"detail": "The request body is larger than allowed."}, status=413)
        return self.get_response(request)


class PrivateAPIResponsesMiddleware:
    """API answers depend on who asks (`liked_by_me`, `is_following`, own views), so no
    cache between the client and the API may reuse one for another caller."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            patch_vary_headers(response, ["Authorization"])
            if "HTTP_AUTHORIZATION" in request.META:
                patch_cache_control(response, private=True)
        return response


class RateLimitHeadersMiddleware:
    """`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds) for the limit
    of the caller's that is closest to running out, on every response a throttle counted:
    clients can slow down before the 429 rather than after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        rate_limit = getattr(request, "rate_limit", None)
        if rate_limit is not None:
            response["RateLimit-Limit"] = str(rate_limit.limit)
            response["RateLimit-Remaining"] = str(rate_limit.remaining)
            response["RateLimit-Reset"] = str(rate_limit.reset)
        return response
