"""Built-in rubric YAML files; loaded through rubrics.library."""
