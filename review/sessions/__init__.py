"""Review sessions: sampling calls per operator, blind scoring, the side-by-side, goals, calibration."""
