"""The Explore page's parts, one module each; views/explore.py picks the table and runs them."""
