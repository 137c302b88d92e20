"""The Whoosh index: schema, document analysis, atomic builds and incremental updates."""
