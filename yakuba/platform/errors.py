"""Errors every interface shares."""

EXIT_FAILURE = 1  # the command ran and found a problem (e.g. a broken audit chain)
EXIT_USAGE = 2  # bad input


class CliError(Exception):
    """A user-facing command failure: printed as one line, exit status ``code``."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


class RunConflict(RuntimeError):
    """Two processes ran the same batch at once (``platform.batch``); the later one stops with
    the message, one line for the operator."""
