"""Page-number pagination for every API list: `count`, `next`, `previous`, `results`.

Unlike DRF's default, a malformed `page` or `page_size` is a 400 naming the parameter rather than being
silently replaced, and a page past the end is a 404 that says where the last page is.
"""

import re

from django.core.paginator import InvalidPage
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from lore.paging import LorePaginator

_WHOLE_NUMBER = re.compile(r"[0-9]+")
_HUGE = 10**9  # past any page, above any page size


def positive_int(name, raw):
    """`raw` as a whole number of at least 1, else a 400 naming the parameter. Huge values saturate."""
    digits = raw.lstrip("0")
    if not _WHOLE_NUMBER.fullmatch(raw) or not digits:
        raise ValidationError({name: [f"Must be a whole number of at least 1; got {raw[:50]!r}."]})
    return int(digits) if len(digits) <= 9 else _HUGE


class LorePagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()
    django_paginator_class = LorePaginator

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return min(positive_int(self.page_size_query_param, raw), self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        return 1 if raw is None else positive_int(self.page_query_param, raw)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(f"There is no page {number}; the last page is {paginator.num_pages}.") from None
        self.display_page_controls = paginator.num_pages > 1 and self.template is not None
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the last one is a 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}; larger values are capped at "
                f"{self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
