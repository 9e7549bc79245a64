"""What belongs to this desktop: its folders, the user's settings file, the error log."""
