"""Customer-profiling scenarios, walked through step by step.

- ``walkthrough``: the feature: /scenario, /resume, /hint and typed answers.
- ``actions``: what each button does; ``buttons``: their callback data, built and checked.
- ``runs``: the moves of a run (start, hint, record, advance, finish).
- ``views``, ``feedback`` and ``tables``: the messages, the feedback and the data table.
- ``scores``: what a run adds up to and what to revise.
"""
