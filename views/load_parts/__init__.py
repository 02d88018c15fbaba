"""The Load page's parts, one module each; views/load.py runs them in order."""
