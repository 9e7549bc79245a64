"""Who uses Kalibra: users, roles, teams, sign-in, operators, and the access rules."""
