"""Transcripts in the workspace: the transcription job queue, its worker, how calls are heard, stored transcripts, personal data in them, excerpts."""
