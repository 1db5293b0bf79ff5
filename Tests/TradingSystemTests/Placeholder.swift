// Placeholder; replaced by the fleet tests.
