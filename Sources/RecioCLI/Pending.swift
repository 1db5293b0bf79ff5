import ArgumentParser

// Commands being written in parallel; each file replaces its stub here.
struct TapCommand: AsyncParsableCommand { static let configuration = CommandConfiguration(commandName: "tap") }
struct PubCommand: AsyncParsableCommand { static let configuration = CommandConfiguration(commandName: "pub") }
struct TopicsCommand: AsyncParsableCommand { static let configuration = CommandConfiguration(commandName: "topics") }
struct HzCommand: AsyncParsableCommand { static let configuration = CommandConfiguration(commandName: "hz") }
struct RecordCommand: AsyncParsableCommand { static let configuration = CommandConfiguration(commandName: "record") }
struct PlayCommand: AsyncParsableCommand { static let configuration = CommandConfiguration(commandName: "play") }
struct PingCommand: AsyncParsableCommand { static let configuration = CommandConfiguration(commandName: "ping") }
struct BenchCommand: AsyncParsableCommand { static let configuration = CommandConfiguration(commandName: "bench") }
