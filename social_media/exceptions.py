from contextlib import contextmanager

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The upload is larger than allowed."
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The resource is not in a state that allows this."
    default_code = "conflict"


@contextmanager
def item_errors_as_messages(messages):
    """Around a list field's validation: DRF keys its items' errors by position (`{"0":
    [...]}`), while every field error the API documents is a list of messages, which
    `messages(detail)` makes of them. Errors of the whole list (its length) pass as they are."""
    try:
        yield
    except exceptions.ValidationError as error:
        if not isinstance(error.detail, dict):
            raise
        raise exceptions.ValidationError(messages(error.detail)) from None


def exception_handler(exc, context):
    """DRF's handler, plus the Django errors a malformed request can raise, so none is a 500."""
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge("The request body is larger than allowed.")
    elif isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)
