"""Open data: the public registry as dated, versioned files with a data dictionary."""
