import ArgumentParser

/// The values a numeric option or argument allows, checked while ArgumentParser reads it: a value that is not a
/// number and one out of range are both refused with `allowed: …`, which `UsageDiagnosis` turns into
/// `--interval: 0.5 is not allowed; allowed: whole seconds from 1 to 3600`.
///
/// Use `parse` as the `transform:` of an `@Option` or `@Argument`. ArgumentParser shows no default for an option
/// with a transform: write `(default: …)` at the end of its help, as ArgumentParser would.
struct AllowedNumbers<Value: Comparable & LosslessStringConvertible & Sendable>: Sendable {
    let range: ClosedRange<Value>
    /// What is allowed, in words, e.g. `whole seconds from 1 to 3600`.
    let description: String

    init(_ range: ClosedRange<Value>, description: String) {
        self.range = range
        self.description = description
    }

    /// The value of `text`, or a `ValidationError` saying what is allowed.
    func parse(_ text: String) throws -> Value {
        guard let value = Value(text), range.contains(value) else {
            throw ValidationError("allowed: \(description)")
        }
        return value
    }
}

extension AllowedNumbers where Value: FixedWidthInteger {
    /// Whole numbers in `range`, counting `unit` (`seconds`, `bytes`) when given.
    init(_ range: ClosedRange<Value>, unit: String? = nil) {
        let bounds = "from \(range.lowerBound) to \(range.upperBound)"
        self.init(range, description: unit.map { "whole \($0) \(bounds)" } ?? "a whole number \(bounds)")
    }
}

extension AllowedNumbers where Value == Int {
    /// A TCP port; 0 asks the system for a free one.
    static var port: Self { AllowedNumbers(0...65_535, description: "a port from 1 to 65535, or 0 for any free port") }
}
