"""The Health report page's parts, one module each; views/health.py runs them in order."""
