from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers


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
