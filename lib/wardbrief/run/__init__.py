"""A run of the reports: where they are published (store, index)."""
