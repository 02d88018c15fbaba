"""Train, in parts."""
