"""The Analogies page's parts, one module each; views/analogies.py picks the table and runs them."""
