/// Values of repeated runs of one measurement, with their median and 99th percentile.
struct Samples {
    private(set) var values: [Double] = []

    init() {}

    /// Runs `body` once and records how long it took, in microseconds.
    mutating func measure(_ body: () -> Void) {
        record(ContinuousClock().measure(body).microseconds)
    }

    /// Records one value.
    mutating func record(_ value: Double) { values.append(value) }

    /// The middle value (the upper middle for an even count); 0 when empty.
    var median: Double { percentile(50) }

    /// The 99th percentile; 0 when empty.
    var p99: Double { percentile(99) }

    /// The largest value; 0 when empty.
    var maximum: Double { values.max() ?? 0 }

    /// The value below which `percent` % of the samples lie (nearest rank); 0 when empty.
    func percentile(_ percent: Int) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, sorted.count * percent / 100)]
    }
}

extension Duration {
    /// The duration in microseconds.
    var microseconds: Double {
        Double(components.seconds) * 1e6 + Double(components.attoseconds) / 1e12
    }
}
