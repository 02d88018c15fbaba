"""The Benchmarks page's parts, one module each; views/benchmarks.py picks the table and runs them."""
