"""Thai text: normalisation, character clusters, word segmentation and the search glossary."""
