// swift-tools-version: 6.1
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode plus the upcoming features the style guide asks for.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "recio",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "recio", targets: ["RecioCLI"]),
        .executable(name: "recio-raw-proxy", targets: ["RawProxy"]),
        .library(name: "BusKit", targets: ["BusKit"]),
        .library(name: "BusWire", targets: ["BusWire"]),
        .library(name: "Money", targets: ["Money"]),
        .library(name: "MarketWire", targets: ["MarketWire"]),
        .library(name: "TradingWire", targets: ["TradingWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        // C libraries, through thin system-library shims.
        .systemLibrary(name: "CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        // The one Swift wrapper around libzmq.
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"], swiftSettings: settings),
        // Exact money: dollars in millionths, contract counts in hundredths. Depends on nothing.
        .target(name: "Money", swiftSettings: settings),
        // The wire contract: envelope, codec, topic catalogue, system messages. Depends on nothing.
        // Civil dates and US Eastern time as plain arithmetic: one copy for every time format and event name.
        .target(name: "CivilTime", swiftSettings: settings),
        .target(name: "BusWire", dependencies: ["CivilTime"], swiftSettings: settings),
        // The plugin kit: bus (ZeroMQ and in-memory), configuration, heartbeats, lifecycle.
        .target(
            name: "BusKit",
            dependencies: [
                "BusWire", "ZeroMQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),
        // The broker: proxy, last values, statistics, capture.
        .target(
            name: "Broker",
            dependencies: [
                "BusWire", "BusKit", "ZeroMQ", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),
        // The launcher: supervises the broker and plugins, rotates their logs.
        .target(
            name: "Launcher",
            dependencies: ["BusWire", "BusKit", "CZlib", .product(name: "Logging", package: "swift-log")],
            swiftSettings: settings),
        // Terminal tools: tap, pub, topics, hz, record, play, and the bus benchmark.
        .target(name: "BusTools", dependencies: ["BusWire", "BusKit", "ZeroMQ", "Launcher"], swiftSettings: settings),

        // HTTP servers' shared setup: connections that never send a byte do not hold a shutdown.
        .target(
            name: "HTTPServing",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // The simulator's BTC index: synthetic and replayed price processes and a Coinbase-compatible WebSocket feed.
        .target(
            name: "PriceSim",
            dependencies: [
                "Money", "BusWire", "CZlib", "HTTPServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings),
        // The Coinbase Exchange connector: WebSocket ticker/heartbeat client and REST candles. Never sees the bus.
        .target(
            name: "Coinbase",
            dependencies: [
                "Money", "BusWire",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings),
        // The Kalshi connector: REST + WebSocket client, signing, rate limiting. A library; it never sees the bus.
        .target(
            name: "Kalshi",
            dependencies: [
                "Money",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings),

        // Plugins.
        .target(
            name: "PriceFeed",
            dependencies: [
                "BusKit", "BusWire", "Coinbase", "MarketWire", "Money",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Plugins/PriceFeed", swiftSettings: settings),
        // The price and market feeds' bus messages, for any plugin to read without importing a feed.
        .target(name: "MarketWire", dependencies: ["BusWire", "Money"], swiftSettings: settings),
        .target(
            name: "MarketFeed",
            dependencies: [
                "BusKit", "BusWire", "Kalshi", "MarketWire", "Money",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Plugins/MarketFeed", swiftSettings: settings),
        // The trading messages: strike tables, order intents and events, trades, account, settings. Depends on wire types only.
        .target(name: "TradingWire", dependencies: ["BusWire", "Money"], swiftSettings: settings),
        // The probability models (fingerprint, vol), strike-table and watchlist building, fitting and scoring. Pure.
        .target(name: "ProbabilityModel", dependencies: ["Money", "TradingWire", "CZlib", "CivilTime"], swiftSettings: settings),
        // The model plugin: strike tables and watchlists from prices and books.
        .target(
            name: "Model",
            dependencies: [
                "BusKit", "BusWire", "MarketWire", "TradingWire", "Money",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), "ProbabilityModel",
            ],
            path: "Plugins/Model", exclude: ["README.md"], swiftSettings: settings),
        // Auto-entry: entry intents from the watchlist, with REC.IO's rules and the guards it lacked.
        .target(
            name: "AutoEntry",
            dependencies: [
                "BusKit", "BusWire", "MarketWire", "TradingWire", "Money",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Plugins/AutoEntry", exclude: ["README.md"], swiftSettings: settings),
        // The trade supervisor: live PnL of open trades, auto-stop and ripcord closes.
        .target(
            name: "TradeSupervisor",
            dependencies: [
                "BusKit", "BusWire", "MarketWire", "TradingWire", "Money",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Plugins/TradeSupervisor", exclude: ["README.md"], swiftSettings: settings),
        // The executor: risk checks, idempotent Kalshi V2 orders, paper fills, the trading state.
        .target(
            name: "Executor",
            dependencies: [
                "BusKit", "BusWire", "MarketWire", "TradingWire", "Money", "CivilTime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), "Kalshi",
                .product(name: "GRDB", package: "GRDB.swift"),            ],
            path: "Plugins/Executor", exclude: ["README.md"], swiftSettings: settings),
        // The web dashboard: trade monitor, history, account and system pages, JSON API, /metrics, pushed over a WebSocket.
        .target(
            name: "Web",
            dependencies: [
                "BusKit", "BusWire", "CivilTime", "MarketWire", "TradingWire", "Money", "HTTPServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Plugins/Web", exclude: ["README.md"], swiftSettings: settings),
        // The failure detector: heartbeats and data freshness judged, trading held or halted, alerts and webhooks.
        .target(
            name: "FailureDetector",
            dependencies: [
                "BusKit", "BusWire", "TradingWire", "MarketWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Plugins/FailureDetector", exclude: ["README.md"], swiftSettings: settings),
        // The trade manager: the trades database, lifecycle, expiry, settlement, statistics.
        .target(
            name: "TradeManager",
            dependencies: [
                "BusKit", "BusWire", "CivilTime", "MarketWire", "TradingWire", "Money",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),            ],
            path: "Plugins/TradeManager", exclude: ["README.md"], swiftSettings: settings),
        // Account sync: balance, positions, fills, orders, settlements; reconciliation.
        .target(
            name: "AccountSync",
            dependencies: [
                "BusKit", "BusWire", "MarketWire", "TradingWire", "Money", "CivilTime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), "Kalshi",
                .product(name: "GRDB", package: "GRDB.swift"),            ],
            path: "Plugins/AccountSync", exclude: ["README.md"], swiftSettings: settings),
        .target(
            name: "Pong",
            dependencies: ["BusKit", "BusWire", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            path: "Plugins/Pong", swiftSettings: settings),

        // The local exchange simulator: pure, clock-driven Kalshi exchange state (events, books, matching, settlement).
        .target(name: "SimExchange", dependencies: ["Money", "CivilTime"], swiftSettings: settings),
        // The simulator's Kalshi-compatible HTTP and WebSocket server.
        .target(
            name: "KalshiSim",
            dependencies: [
                "SimExchange", "Money", "HTTPServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),

        // The whole system in one process over the real bus against the in-process simulator (tests, benchmarks).
        .target(
            name: "Fleet",
            dependencies: [
                "BusKit", "BusWire", "Broker", "KalshiSim", "SimExchange", "PriceSim", "Kalshi", "Money", "TradingWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),

        // Benchmarks of the trading path: tick to intent to venue over the whole fleet.
        .target(
            name: "TradingBench",
            dependencies: [
                "BusTools", "Fleet", "BusKit", "BusWire", "Launcher", "Kalshi", "MarketFeed", "MarketWire", "Model", "AutoEntry", "Executor",
                "TradingWire", "Money", "ProbabilityModel", .product(name: "Logging", package: "swift-log"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: settings),

        // Backtests and tape replays through the live plugins' own state machines and shells.
        .target(
            name: "Backtest",
            dependencies: [
                "CivilTime",
                "ProbabilityModel", "Model", "AutoEntry", "TradeSupervisor", "TradeManager", "Executor", "BusKit", "BusWire",
                "BusTools", "MarketWire", "TradingWire", "Money", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings),

        // The `recio` command.
        .executableTarget(
            name: "RecioCLI",
            dependencies: [
                "BusWire", "BusKit", "Broker", "Launcher", "BusTools", "Pong", "PriceFeed", "MarketFeed", "Coinbase", "CZlib", "ZeroMQ",
                "Fleet", "TradingBench", "Backtest", "TradingWire", "ProbabilityModel", "Model", "Web", "FailureDetector", "AutoEntry", "TradeSupervisor", "Executor", "TradeManager", "AccountSync",
                "KalshiSim", "SimExchange", "PriceSim", "Money", "Kalshi",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),
        // The benchmark baseline: a plain C `zmq_proxy`.
        .executableTarget(name: "RawProxy", linkerSettings: [.linkedLibrary("zmq"), .linkedLibrary("pthread")]),

        // Test support: a real broker on ephemeral ports. Only test targets import it.
        .target(name: "BusTestSupport", dependencies: ["Broker", "BusKit", "BusWire"], swiftSettings: settings),

        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"], swiftSettings: settings),
        .testTarget(name: "MoneyTests", dependencies: ["Money"], swiftSettings: settings),
        .testTarget(
            name: "KalshiTests",
            dependencies: [
                "Kalshi", "Money", "BusTestSupport", "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings),
        .testTarget(name: "BusWireTests", dependencies: ["BusWire"], swiftSettings: settings),
        .testTarget(name: "BusKitTests", dependencies: ["BusKit", "BusWire", "Broker", "BusTestSupport"], swiftSettings: settings),
        .testTarget(
            name: "PluginTests",
            dependencies: ["Pong", "BusKit", "BusWire", "BusTestSupport", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            swiftSettings: settings),
        .testTarget(name: "PriceSimTests", dependencies: ["PriceSim", "Money", "BusTestSupport"], swiftSettings: settings),
        .testTarget(
            name: "CoinbaseTests",
            dependencies: [
                "Coinbase", "PriceSim", "Money", "BusWire", "BusTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),
        .testTarget(
            name: "PriceFeedTests",
            dependencies: [
                "PriceFeed", "PriceSim", "Coinbase", "MarketWire", "Money", "BusKit", "BusWire", "BusTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings),
        .testTarget(
            name: "MarketFeedTests",
            dependencies: [
                "MarketFeed", "MarketWire", "Kalshi", "KalshiSim", "SimExchange", "Money", "BusKit", "BusWire", "BusTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),
        .testTarget(
            name: "BacktestTests",
            dependencies: [
                "Backtest", "ProbabilityModel", "Model", "AutoEntry", "TradeSupervisor", "TradeManager", "TradingWire", "MarketWire",
                "BusKit", "BusWire", "BusTools", "BusTestSupport", "Money",
            ],
            swiftSettings: settings),
        .testTarget(name: "ProbabilityModelTests", dependencies: ["ProbabilityModel", "TradingWire", "Money", "BusTestSupport"], swiftSettings: settings),
        .testTarget(
            name: "TradingPluginTests",
            dependencies: [
                "CivilTime",
                "Model", "AutoEntry", "TradeSupervisor", "Executor", "TradeManager", "AccountSync", "ProbabilityModel",
                "FailureDetector", "TradingWire", "MarketWire", "BusKit", "BusWire", "BusTestSupport", "Money", "Kalshi", "KalshiSim", "SimExchange", "Fleet",
                "ZeroMQ",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),
        // The whole fleet, in one process over the real bus, against the in-process simulator.
        .testTarget(
            name: "TradingSystemTests",
            dependencies: [
                "Fleet", "PriceFeed", "MarketFeed", "Model", "AutoEntry", "TradeSupervisor", "Executor", "TradeManager",
                "AccountSync", "Web", "BusTools", "TradingWire", "Kalshi", "Money", "BusKit", "BusWire", "BusTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: settings),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "TradeManager", "AccountSync", "TradingWire", "MarketWire", "BusKit", "BusWire", "BusTestSupport", "Money",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["browser"],
            swiftSettings: settings),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", "BusKit", "BusWire", "ZeroMQ", "BusTestSupport"], swiftSettings: settings),
        .testTarget(name: "LauncherTests", dependencies: ["Launcher", "BusKit", "BusWire", "BusTestSupport"], swiftSettings: settings),
        .testTarget(name: "SimExchangeTests", dependencies: ["SimExchange", "Money"], swiftSettings: settings),
        .testTarget(
            name: "KalshiSimTests",
            dependencies: [
                "KalshiSim", "SimExchange", "Money", "BusTestSupport", "HTTPServing",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["Conformance"],
            swiftSettings: settings),
        // The real connectors against the real simulator, over loopback HTTP and WebSocket, with every fault.
        .testTarget(
            name: "VenueTests",
            dependencies: [
                "Kalshi", "KalshiSim", "SimExchange", "Money", "BusTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),
        .testTarget(
            name: "SystemTests", dependencies: ["BusTools", "BusKit", "BusWire", "Broker", "Launcher", "BusTestSupport"],
            exclude: ["interop_pyzmq.py"],
            swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
