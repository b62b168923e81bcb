"""Customer-profiling scenarios walked through step by step: the flow, its views, its buttons
and the scenario's data table."""
