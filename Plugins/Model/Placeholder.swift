// Placeholder until the Model plugin lands; replace this file.
