// Placeholder until the TradeSupervisor plugin lands; replace this file.
