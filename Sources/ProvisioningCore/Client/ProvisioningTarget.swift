/// What a provisioning call addresses: a stage attempt of a deployment, or one step of it.
///
/// Builds the request path with every segment percent-encoded, so a stage named `build/arm 64` stays one
/// segment (`build%2Farm%2064`).
public struct ProvisioningTarget: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The deployment's id.
    public var deploymentID: String
    /// The stage's name, e.g. `build`.
    public var stage: String
    /// The attempt number; sent in the path as a decimal string.
    public var attempt: Int64
    /// The step, for `declareStepProgress`; `nil` addresses the attempt itself.
    public var step: String?

    public init(deploymentID: String, stage: String, attempt: Int64, step: String? = nil) {
        self.deploymentID = deploymentID
        self.stage = stage
        self.attempt = attempt
        self.step = step
    }

    /// `/v1/provisioning/{deployment_id}/status/{stage}/{attempt}[/{step}]`, percent-encoded.
    public var path: String {
        var segments = ["v1", "provisioning", deploymentID, "status", stage, String(attempt)]
        if let step { segments.append(step) }
        return "/" + segments.map(PathSegment.encode).joined(separator: "/")
    }

    /// `deployment/stage/#attempt[/step]`, for messages.
    public var description: String {
        "\(deploymentID)/\(stage)/#\(attempt)" + (step.map { "/\($0)" } ?? "")
    }
}

/// Percent-encoding of one URL path segment.
public enum PathSegment {
    /// Encodes everything but RFC 3986's unreserved characters (`A–Z a–z 0–9 - . _ ~`); a segment that is
    /// only `.` or `..` has its dots encoded too, so no proxy normalises it into a different path.
    public static func encode(_ segment: String) -> String {
        if segment == "." || segment == ".." { return String(repeating: "%2E", count: segment.count) }
        var result = ""
        result.reserveCapacity(segment.utf8.count)
        for byte in segment.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
        }
        return result
    }
}
