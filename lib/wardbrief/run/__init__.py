"""A run of the reports: the registry, the papermill engine, one report's build, the run
of several (reports), where they are published (store, index)."""

import wardbrief.publish  # noqa: F401 - first: what it keeps jsonschema from loading (see it)
