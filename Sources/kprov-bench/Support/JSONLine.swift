import Foundation

/// One JSON object on one line, keys sorted and in snake case (`cpuPercent` → `cpu_percent`): what
/// `scripts/bench/run` reads from each benchmark.
enum JSONLine {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
