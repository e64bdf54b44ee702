"""The figures' rule constants that the briefings also quote, in a module without pandas
(a briefing read from metrics.json imports this, not the engine)."""

RANK_MIN_DENOMINATOR = 5  # a department is ranked with at least this many cases due
