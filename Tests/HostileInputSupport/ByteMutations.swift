import PropertyBased
import Testing

/// Property checks on damaged copies of a valid file, shared by the hostile-input tests of several targets.
public enum ByteMutations {
    /// Runs `body` on `count` random mutations of `original`: at one to eight random positions, each mutation
    /// overwrites a byte, inserts one, or cuts the rest off. A failure is reported with the smallest mutation
    /// found that still fails.
    public static func check(
        _ original: [UInt8], count: Int, isolation: isolated (any Actor)? = #isolation,
        sourceLocation: SourceLocation = #_sourceLocation, _ body: ([UInt8]) async throws -> Void
    ) async {
        let positions = Gen.int(in: 0..<original.count).array(of: 1...8)
        await propertyCheck(
            count: count, input: positions, Gen.uint8(), Gen.int(in: 0...2),
            perform: { positions, byte, kind in
                var bytes = original
                for position in positions where position < bytes.count {
                    switch kind {
                    case 0: bytes[position] = byte
                    case 1: bytes.insert(byte, at: position)
                    default: bytes.removeSubrange(position..<bytes.count)
                    }
                }
                try await body(bytes)
            }, isolation: isolation, sourceLocation: sourceLocation)
    }
}
