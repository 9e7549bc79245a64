from alembic import context

from review.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # alembic CLI use (autogenerate): take the URL from -x url=...
    from review.db import create_database_engine, resolve_database_url

    engine = create_database_engine(context.get_x_argument(as_dictionary=True).get("url") or resolve_database_url())

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables safely
        compare_type=True,
    )
    context.run_migrations()
