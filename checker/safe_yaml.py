"""yaml.safe_load, twice as fast on plans: the same objects, or yaml.safe_load itself.

(yaml.safe_load as the checker has always run it: yaml.load with libyaml's CSafeLoader.)

A national batch reads thousands of plans, and PyYAML spends most of a plan's load not in
libyaml but in building a node object for every scalar and then a Python object from each
node. `load` builds the Python objects straight from the events of the same C parser, with
the same resolver choosing each plain scalar's type and the same SafeConstructor functions
building ints, floats, booleans, nulls and dates. Whatever it does not reproduce exactly
(anchors and aliases, explicit tags, merge keys, an unhashable key, a second document, a
value a constructor refuses) is handed to yaml.load with the CSafeLoader, that is
yaml.safe_load, which then returns or raises exactly what it always does. Parse errors come
from the same parser at the same place. tests/test_safe_yaml.py holds it to that, on every
YAML file in the repository and on generated documents.
"""

from __future__ import annotations

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

# libyaml's loader where it is built in: the same safe subset of YAML, ten times faster.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"


def load(raw: bytes | str) -> object:
    """What yaml.safe_load(raw) returns, or the error it raises."""
    loader = SafeLoader(raw)
    try:
        return _from_events(loader)
    except _NotHere:
        return yaml.load(raw, Loader=SafeLoader)
    finally:
        loader.dispose()


class _NotHere(Exception):
    """Something yaml.safe_load must build (or refuse) itself."""


_NOTHING = object()


class _Mapping:
    __slots__ = ("data", "key")

    def __init__(self) -> None:
        self.data: dict = {}
        self.key: object = _NOTHING


def _scalar(loader, event: ScalarEvent, tags: dict) -> object:
    if event.anchor is not None or event.tag not in (None, "!"):
        raise _NotHere
    if not event.implicit[0]:  # quoted, or the non-specific "!": a string, as the composer decides
        return event.value
    key = (event.value, event.implicit)
    tag = tags.get(key)
    if tag is None:
        tag = tags[key] = loader.resolve(ScalarNode, event.value, event.implicit)
    if tag == STR_TAG:
        return event.value
    constructor = loader.yaml_constructors.get(tag)
    if constructor is None or tag == MERGE_TAG:
        raise _NotHere
    try:
        return constructor(loader, ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))
    except Exception:
        # safe_load builds values only once the whole document is parsed: a later parse error
        # would be its answer, so it must give the answer.
        raise _NotHere from None


def _from_events(loader) -> object:
    tags: dict = {}  # plans repeat their keys in every rule: resolve each spelling once
    stack: list = []  # the open collections: a list, or a _Mapping waiting for a key or its value
    root = _NOTHING
    documents = 0
    while True:
        event = loader.get_event()
        kind = type(event)
        if kind is ScalarEvent:
            item = _scalar(loader, event, tags)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise _NotHere
            stack.append(_Mapping() if kind is MappingStartEvent else [])
            continue
        elif kind is MappingEndEvent:
            item = stack.pop().data
        elif kind is SequenceEndEvent:
            item = stack.pop()
        elif kind is AliasEvent:
            raise _NotHere
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:  # safe_load wants a single document and says so
                raise _NotHere
            continue
        elif kind is StreamEndEvent:
            return None if root is _NOTHING else root
        else:  # stream start, document end
            continue
        if not stack:
            root = item
        elif type(stack[-1]) is list:
            stack[-1].append(item)
        elif stack[-1].key is _NOTHING:
            try:
                hash(item)
            except TypeError:
                raise _NotHere from None
            stack[-1].key = item
        else:
            mapping = stack[-1]
            mapping.data[mapping.key] = item
            mapping.key = _NOTHING
