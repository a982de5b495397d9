"""Errors Parley raises on purpose; each names what went wrong and where."""


class ParleyError(Exception):
    """Base class for errors a user can act on."""


class InputError(ParleyError):
    """A file (or one record of it) that cannot be read as a news report."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class DataFileError(ParleyError):
    """A lexicon, ontology or actor file that does not validate."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
