// Placeholder until the trading plugins land.
