"""Conversation analytics in the workspace: stored per call, their thresholds, and the library's filters on them."""
