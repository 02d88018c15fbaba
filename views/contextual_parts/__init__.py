"""Static versus contextual, in parts: one word in a few sentences; many sentences as a map and
Ethayarajh's measures layer by layer."""
