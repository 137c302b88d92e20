"""Round-trip YAML for the site's edits of front matter and KM files: comments, key order, quoting
and dates stay as they were written.

A date is kept as the text it was written as (`DateText`), never made a Python date: a Buddhist-era
date such as 2567-02-29 (29 February 2024, a real day) is no date of the year 2567 in Python's
calendar, and reading it as one made every web edit of that file fail. It is written back plain,
unquoted, exactly as it was read.
"""

from __future__ import annotations

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.representer import RoundTripRepresenter

TIMESTAMP = "tag:yaml.org,2002:timestamp"


class DateText(str):
    """A date as written in the file (2567-09-30, 2025-01-15), kept as text and written plain."""


class _Constructor(RoundTripConstructor):
    pass


class _Representer(RoundTripRepresenter):
    pass


_Constructor.add_constructor(TIMESTAMP, lambda constructor, node: DateText(node.value))
_Representer.add_representer(DateText, lambda representer, value: representer.represent_scalar(TIMESTAMP, str(value)))


def round_trip_yaml() -> YAML:
    """The one YAML reader and writer of the site's edits (2-space mappings, lists indented under their key)."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml
