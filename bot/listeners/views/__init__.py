"""Modal submission and close listeners."""
