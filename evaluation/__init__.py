"""The labelled corpus of student text and the scoring behind ``make eval``."""
