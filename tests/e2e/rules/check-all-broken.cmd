rules check --no-warnings fixtures/rules/broken
