"""Sentence search, in parts."""
