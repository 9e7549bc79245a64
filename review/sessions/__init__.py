"""Review sessions: calls sampled per operator, scored blind by supervisor and operator, compared; goals; calibration."""
