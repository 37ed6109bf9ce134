"""Helpers of the mobile web tests (tests/test_mobile*.py) and its benchmark."""
