"""The call library: importing recordings with their metadata, reading, editing, searching, retention."""
