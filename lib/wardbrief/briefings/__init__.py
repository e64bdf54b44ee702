"""Step 3: metrics.json shaped for the reader (Vietnamese words, numbers, charts).

Nothing here computes a figure: every number comes from figures.metrics."""
