// Placeholder until the TradeManager plugin lands; replace this file.
