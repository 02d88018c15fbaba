"""The Positions page's tabs, one module each; views/positions.py holds the shared sidebar."""
