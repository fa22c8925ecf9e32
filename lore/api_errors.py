"""Every API error is JSON: `{"status": 404, "detail": "...", "errors": {"parameter": ["message"]}}`.

`errors` appears on 400s and names each parameter that was wrong. DRF's own handler still decides the
status and headers (Allow on 405, Retry-After on 429); this only gives the body one shape.
"""

from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def error_body(status_code, detail, errors=None):
    body = {"status": status_code, "detail": str(detail)}
    if errors:
        body["errors"] = errors
    return body


def _messages(detail):
    """A ValidationError's detail as {parameter: [message, ...]}."""
    if isinstance(detail, dict):
        return {
            str(name): [str(m) for m in (messages if isinstance(messages, list) else [messages])]
            for name, messages in detail.items()
        }
    messages = detail if isinstance(detail, list) else [detail]
    return {"non_field_errors": [str(m) for m in messages]}


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: let Django report it
    if isinstance(exc, exceptions.ValidationError):
        errors = _messages(exc.detail)
        names = sorted(name for name in errors if name != "non_field_errors")
        noun = "parameter" if len(names) == 1 else "parameters"
        detail = f"Invalid {noun}: {', '.join(names)}." if names else "Invalid request."
        response.data = error_body(response.status_code, detail, errors)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data.get("detail", "")
        response.data = error_body(response.status_code, detail)
    return response


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404, not the site's HTML page."""
    return JsonResponse(
        error_body(status.HTTP_404_NOT_FOUND, f"No API resource at {request.path}. The API root is /api/v1/."),
        status=status.HTTP_404_NOT_FOUND,
    )
