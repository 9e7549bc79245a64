"""Errors the review domain raises; each message is something a supervisor can act on."""


class KalibraError(Exception):
    """Base of every error the domain reports to the user.

    `template` is an English sentence with `{name}` placeholders and `params` fill them: `str(exc)` is the
    English text, and the interface translates the template (context "Errors") before filling it in
    (app.i18n.error_text). Write the template as a string literal at the raise site, so the translation
    extractor (resources/i18n/translations.py) finds it. Without params the template is the text as is
    (braces and all).
    """

    def __init__(self, template: str = "", /, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params) if params else template)


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
