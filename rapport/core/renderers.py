"""A JSON renderer that writes DRF's ``JSONRenderer`` output with orjson.

On a list page read by an index, encoding the JSON with the standard library costs about as much as the query:
its C encoder is fast, but the Python walk around it is not. orjson writes the same text several times faster.
The output is byte for byte the one of ``JSONRenderer`` as configured (compact, UTF-8, ``\\u2028`` and ``\\u2029``
escaped): values the two encoders could write differently go through DRF's own encoder, as ``default``: dates and
times (DRF cuts microseconds to milliseconds), decimals, lazy translations. Anything else orjson refuses (a key
that is not a string, an integer beyond 64 bits) or an indented answer (``Accept: application/json; indent=4``)
falls back to ``JSONRenderer`` itself. Floats are the one difference left: orjson writes no ``NaN`` (``null``) and
its own exponent form (``1e16``, not ``1e+16``), so it serves answers without floats (the client API).
"""

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_LINE_SEPARATOR = "\u2028".encode()
_PARAGRAPH_SEPARATOR = "\u2029".encode()
_SEPARATORS_LEAD = b"\xe2"


class FastJSONRenderer(JSONRenderer):
    """``JSONRenderer``'s bytes, written by orjson."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or not self.compact or self.ensure_ascii or not self.strict:
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            content = orjson.dumps(data, default=_default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        # JSONRenderer escapes these two so the JSON is also valid JavaScript. Both begin with the byte 0xE2, which
        # one memchr finds (or not) many times faster than a search for either of them.
        if _SEPARATORS_LEAD in content:
            content = content.replace(_LINE_SEPARATOR, b"\\u2028").replace(_PARAGRAPH_SEPARATOR, b"\\u2029")
        return content


_encoder = JSONEncoder()


def _default(value):
    return _encoder.default(value)


def with_fast_json(renderer_classes) -> list:
    """``renderer_classes`` (e.g. the API's defaults) with ``JSONRenderer`` written by orjson."""
    return [FastJSONRenderer if renderer is JSONRenderer else renderer for renderer in renderer_classes]
