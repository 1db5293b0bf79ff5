// Placeholder until the web plugin lands; replace this file.
