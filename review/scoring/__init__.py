"""Scoring calls: evaluations against stored rubrics, disputes."""
