"""What the OpenAPI schema says beyond what drf-spectacular infers: the error responses and HTTP headers
every API operation shares, so clients (and schemathesis) can hold the API to them."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter

ERROR_RESPONSES = {
    "400": "A query parameter is invalid; `errors` names it.",
    "404": "No such record, or a page past the last one.",
    "406": "The Accept header asks for a format the API does not serve.",
    "429": "Too many requests from this address; retry after `Retry-After` seconds.",
}


class LoreAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        from lore.serializers import ErrorSerializer  # late: serializers import the models

        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_RESPONSES.items():
            responses.setdefault(
                code, {**self._get_response_for_code(ErrorSerializer, code), "description": description}
            )
        return responses

    def get_override_parameters(self):
        """A detail's slug, with an example from the seed data (`make seed`) for Swagger UI and schemathesis."""
        parameters = super().get_override_parameters()
        example = getattr(self.view, "example_slug", None)
        if getattr(self.view, "action", None) != "retrieve" or not example:
            return parameters
        slug = OpenApiParameter(
            "slug",
            {"type": "string", "pattern": f"^{self.view.lookup_value_regex}$"},
            OpenApiParameter.PATH,
            description="The record's slug.",
            examples=[OpenApiExample("From the seed data", value=example)],
        )
        return [*parameters, slug]


def _header(description, schema=None, *, required=False):
    return {"description": description, "required": required, "schema": schema or {"type": "string"}}


def document_http_headers(result, generator, request, public):
    """Postprocessing hook: conditional GET and throttling headers on every operation."""
    for path_item in result.get("paths", {}).values():
        operation = path_item.get("get")
        if not operation:
            continue
        operation.setdefault("parameters", []).append(
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "description": "An ETag from an earlier response; if it still matches, the answer is a 304.",
                "schema": {"type": "string"},
            }
        )
        validators = {
            "ETag": _header("Changes whenever the response body changes.", required=True),
            "Cache-Control": _header("Responses may be cached publicly for a short time.", required=True),
        }
        responses = operation["responses"]
        responses["200"]["headers"] = {
            **validators,
            "Last-Modified": _header("When the newest record in the response last changed (absent if none)."),
        }
        responses["304"] = {"description": "Not modified: the If-None-Match ETag still matches.", "headers": validators}
        responses["429"]["headers"] = {
            "Retry-After": _header("Seconds to wait before retrying.", {"type": "integer"}, required=True)
        }
    return result
