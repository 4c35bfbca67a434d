"""Fixtures for the feature tests."""

from __future__ import annotations

# The programme with places, online sessions, tracks and languages (tests/places.py).
from tests.places import places as places
