"""The Map page's parts, one module each; views/map.py runs them in order."""
