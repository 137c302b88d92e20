"""Knowledge assets on disk: the front-matter schema, vocabularies, loading, editing, attachments."""
