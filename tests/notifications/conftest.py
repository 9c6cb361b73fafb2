from tests.notifications.support import make_httpserver, solapi  # noqa: F401
