"""Errors the review domain raises; each message is something a supervisor can act on."""


class KalibraError(Exception):
    """Base of every error the domain reports to the user."""


class DatabaseError(KalibraError):
    pass


class AccessDenied(KalibraError):
    pass


class NotFound(KalibraError):
    pass


class ImportProblem(KalibraError):
    pass


class ConflictError(KalibraError):
    """Someone else saved the same record since it was loaded."""


class ValidationError(KalibraError):
    pass
