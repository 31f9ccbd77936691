"""The API's JSON parser and error handler: a body too large or nested too deeply is a 400 that
says why, never a server error (Python's json module recurses once per level)."""

import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.views import exception_handler as drf_exception_handler

from openraa.common import parsing


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing nesting deeper than OPENRAA_MAX_JSON_DEPTH before it parses.
    (DRF hands it the request body, whose size Django has already checked.)"""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        if parsing.json_depth(raw) > settings.OPENRAA_MAX_JSON_DEPTH:
            raise ParseError(
                f"The JSON nests deeper than {settings.OPENRAA_MAX_JSON_DEPTH} levels. Nothing was changed."
            )
        return super().parse(io.BytesIO(raw), media_type, parser_context)


def exception_handler(exc, context):
    """DRF's handler; a body over DATA_UPLOAD_MAX_MEMORY_SIZE answers as JSON like other refusals."""
    if isinstance(exc, RequestDataTooBig):
        exc = ParseError(
            f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes. Nothing was changed."
        )
    return drf_exception_handler(exc, context)
