rules test fixtures/rules/lists-only --db fixtures/no-such-dir/lists.db
