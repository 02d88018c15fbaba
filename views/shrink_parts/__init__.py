"""The Shrink the table page's parts, one module each; views/shrink.py runs them in order."""
