import ArgumentParser

/// The `weir` command line: run, validate, query, demo, broker, generate, bench.
@main
struct Weir: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weir",
        abstract: "Weir: a Kappa-style stream processor. Kafka in, exact product metrics in PostgreSQL out.",
        subcommands: [
            RunCommand.self, ValidateCommand.self, QueryCommand.self, DemoCommand.self,
            BrokerCommand.self, GenerateCommand.self, BenchCommand.self, SearchCommand.self, GenerateDocumentsCommand.self,
            DescribeCommand.self,
        ]
    )
}
