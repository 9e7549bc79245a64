"""Scoring calls: evaluations against stored rubrics, disputes, stored rubrics."""
