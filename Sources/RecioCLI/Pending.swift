import ArgumentParser

// Commands being written in parallel; each file replaces its stub here.
struct BenchCommand: AsyncParsableCommand { static let configuration = CommandConfiguration(commandName: "bench") }
