"""Serving the app from several processes behind one address (make serve WORKERS=N)."""
