"""sqladvise: reads district T-SQL written against Infinite Campus and advises on its cost."""

__version__ = "0.1.0"
