"""The students' mobile web app at ``/m/`` (issue 12): a small no-build ES-module app on the
mini-program API, served gzipped from memory with long cache headers on versioned files.

- ``screens.py``: the route table (built-in screens plus every plugin's ``xf_mobile_screens``);
- ``bundle.py``: the app's files (and plugins' screen modules) read once, gzipped, versioned;
- ``server.py``: the ``/m/`` routes;
- ``links.py``: absolute ``/m/`` URLs for QR codes (``m_url``) and the admin's QR block.

docs/mobile.md is the guide for stage authors; docs/architecture.md ("Mobile web") says why.
"""
