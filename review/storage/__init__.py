"""Opening the database (SQLite or PostgreSQL), migrating it, its failures in plain words."""
