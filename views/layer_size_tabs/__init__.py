"""Size and cost, one module per tab."""
