"""Exceptions raised by the indexer library."""


class KnowledgeError(Exception):
    """Base class of every error this library raises on purpose."""


class SettingsError(KnowledgeError):
    """A KM_* setting or a configuration file is wrong."""


class VocabularyError(SettingsError):
    """The vocabulary file is missing, unreadable or malformed."""


class InvalidParameter(KnowledgeError):
    """A parameter from a URL or form is malformed or out of range; the message says which and why."""


class InvalidSearch(InvalidParameter):
    """A search parameter is out of range; the message says which and why."""


class IndexUnavailable(KnowledgeError):
    """No usable index exists yet (run `python -m indexer build`)."""


class IndexBusy(KnowledgeError):
    """Another process holds the index write lock for too long."""


class IndexCorrupt(KnowledgeError):
    """A file of the live index was damaged after it was written; the index must be rebuilt."""
