"""Running the rules: what each rule receives, levels, suppressions, baselines and help pages."""
