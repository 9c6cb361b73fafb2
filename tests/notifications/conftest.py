from tests.notifications.support import solapi  # noqa: F401
