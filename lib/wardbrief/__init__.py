"""wardbrief: the ward's workbook of citizen reports, tasks and campaign posts, turned
into figures (metrics.json) and Vietnamese briefings.

The flow runs one way: sources -> contract -> calendar -> figures -> metrics ->
notebooks -> render -> outputs.
"""

__version__ = "0.1.0"
