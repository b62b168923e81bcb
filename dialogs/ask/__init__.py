"""Asking the tutor: free-text questions about the unit answered from the knowledge base.

- ``index``: every card the tutor can answer from, found by name (the language layer's lexicon,
  typos and plurals allowed) and by BM25 over their words (``bm25s``).
- ``understand``: whether text is a question, what kind (define, compare, classify,
  calculate, example) and which cards it is about.
- ``cards``: how an answer looks; ``feature``: the router's entry point, the buttons, and the
  record kept per class for tutors.
"""
