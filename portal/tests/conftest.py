import pytest


@pytest.fixture(scope="session")
def sqlite_demo(tmp_path_factory):
    """A migrated SQLite file with the demo's settings, reached through child processes."""
    from portal.tests.sqlite_demo import SqliteDemo

    demo = SqliteDemo(tmp_path_factory.mktemp("sqlite-demo") / "portal.sqlite3")
    demo.migrate()
    return demo
