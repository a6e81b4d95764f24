import ArgumentParser
import WeirTopology

/// `weir validate TOPOLOGY`: checks a topology file without connecting to anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check a topology file and print what it runs.")

    @Argument(help: "The topology file (YAML).")
    var topology: String

    func run() throws {
        do {
            let definition = try TopologyLoader.load(path: topology)
            Console.out("ok: \(definition.summary)")
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(2)
        }
    }
}
