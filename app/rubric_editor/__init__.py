"""The rubric editor: the Rubrics page, its tree model over editable rubric data, forms and preview."""

from app.rubric_editor.rubrics_page import RubricsPage

__all__ = ["RubricsPage"]
