// Placeholder until the AccountSync plugin lands; replace this file.
