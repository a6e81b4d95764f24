import ArgumentParser
import WeirCore
import WeirTopology

/// `weir describe TOPOLOGY`: prints the operator graph a topology file runs — nodes,
/// edges, element types, fused chains and tasks per input partition — without connecting
/// to anything.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe", abstract: "Print the operator graph of a topology file.")

    @Argument(help: "The topology file (YAML).")
    var topology: String

    @Option(help: "Partitions of the input topic, to count the tasks (one per partition).")
    var partitions: Int?

    func validate() throws {
        if let partitions, partitions < 1 { throw ValidationError("--partitions must be at least 1") }
    }

    func run() throws {
        let definition: TopologyDefinition
        do {
            definition = try TopologyLoader.load(path: topology)
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(2)
        }
        let graph: StreamGraph
        do {
            // Nothing runs here, so the decode step's dead letters have nowhere to go.
            graph = try TopologyGraph.graph(for: definition, partitions: partitions, onDeadLetter: { _ in })
        } catch {
            Console.err("error: \(definition.file): the topology's graph is invalid: \(error)")
            throw ExitCode(2)
        }
        Console.out(graph.description)
        Console.out("tasks: \(graph.tasksDescription(partitions: partitions))")
    }
}
