// Placeholder until the Executor plugin lands; replace this file.
