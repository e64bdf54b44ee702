"""A run of the reports: the registry (registry, extras), the papermill engine on a warm
kernel (engine), one report's build (build), a run of several (reports), where they are
published (store, index)."""
