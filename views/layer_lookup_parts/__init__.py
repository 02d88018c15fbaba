"""The Lookup page's tabs, one module each; views/layer_lookup.py reads the sentences and
opens the tab the visitor chose."""
