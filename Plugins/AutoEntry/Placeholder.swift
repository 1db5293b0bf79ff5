// Placeholder until the AutoEntry plugin lands; replace this file.
