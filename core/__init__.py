"""Xianfeng platform core: settings, database, plugins, auth, files and the app factory."""
