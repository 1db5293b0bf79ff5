// Placeholder; replace with tests.
