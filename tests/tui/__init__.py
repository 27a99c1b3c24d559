"""Tests of the terminal interface (Pilot and snapshots)."""
