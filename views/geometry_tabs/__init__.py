"""The Geometry page's tabs, one module each; views/geometry.py picks the table and runs them."""
