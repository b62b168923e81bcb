"""The revision knowledge base: YAML content under ``content/``, typed, validated and cross-checked.

``load()`` is the only way to build a :class:`KnowledgeBase`; it raises :class:`KnowledgeError`
listing every problem (file, key path, line) when the content is not usable.
"""

from knowledge.base import KnowledgeBase
from knowledge.errors import KnowledgeError
from knowledge.loader import default_content_dir, load

__all__ = ["KnowledgeBase", "KnowledgeError", "default_content_dir", "load"]
