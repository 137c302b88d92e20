"""Searching: query parsing, the lexicon of compound parts, ranking, snippets, facets, evaluation."""
