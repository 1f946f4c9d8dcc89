"""Text fields take JSON strings only.

DRF's CharField turns a JSON number into its digits (`{"text": 0}` is saved as "0"), while
the schema, and every client generated from it, says the field is a string: a client that
sends a number has a bug it should hear about, as it does when it sends a list. Applied to
DRF's CharField itself, so every text field refuses numbers: declared or derived from a
model, and EmailField, URLField, SlugField, RegexField, which extend it. Form and query
values are always strings, so only JSON bodies are affected.
"""

from rest_framework import fields


def refuse_numbers_as_text() -> None:
    """Make CharField refuse anything but a string with its own `invalid` error."""
    original = fields.CharField.to_internal_value
    if getattr(original, "refuses_numbers", False):
        return

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return original(self, data)

    to_internal_value.refuses_numbers = True
    fields.CharField.to_internal_value = to_internal_value
