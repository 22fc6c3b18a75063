import ArgumentParser

/// `kprov-bench`: the measurements behind BENCHMARKS.md. `scripts/bench/run` drives it together with the
/// reference tools (wrk, nginx, hyperfine, Koyeb's Python SDK); `--smoke` runs every benchmark briefly so CI
/// checks they still work without timing anything.
@main
struct KprovBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kprov-bench",
        abstract: "Benchmarks for kprov (see BENCHMARKS.md).",
        subcommands: [
            RenderBenchmark.self, PaintBenchmark.self, IdleBenchmark.self, ClientThroughput.self,
        ])
}
