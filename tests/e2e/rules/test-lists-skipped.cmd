rules test fixtures/rules/lists-only
