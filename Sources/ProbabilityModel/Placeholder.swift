// Placeholder until the models land; replace this file.
