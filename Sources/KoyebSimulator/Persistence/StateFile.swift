import Foundation
import ProvisioningCore

/// The `--state` file: every deployment with its provisioning secret, as JSON
/// (`{"deployments": [{"deployment": {…}, "secret": "…"}], "format": 1}`), mode 0600.
enum StateFile {
    /// The version of the layout above; a file with another is refused rather than misread.
    static let format = 1

    private struct Contents: Codable {
        var format: Int
        var deployments: [StoredDeployment]
    }

    /// The deployments saved at `path`, or `nil` when there is no file yet. Throws a `ConfigurationError` naming
    /// the file when it is readable by others or is not a simulator state file.
    static func load(path: String) throws -> [StoredDeployment]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        try FilePermissions.requirePrivate(path: path)
        let contents: Contents
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            contents = try KoyebJSON.decoder().decode(Contents.self, from: data)
        } catch {
            throw ConfigurationError("\(path) cannot be read as simulator state: \(reason(error))")
        }
        guard contents.format == format else {
            throw ConfigurationError("\(path) has state format \(contents.format); this kprov reads format \(format)")
        }
        return contents.deployments
    }

    /// Writes `snapshot` to `path` atomically (temporary file, fsync, rename) with mode 0600.
    static func write(_ snapshot: StateSnapshot, to path: String) throws {
        let deployments = snapshot.order.compactMap { id in
            snapshot.records[id].map { StoredDeployment(deployment: $0.deployment, secret: $0.secret) }
        }
        let data = try KoyebJSON.encoder().encode(Contents(format: format, deployments: deployments))
        try FilePermissions.writePrivately(data, to: path)
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
            DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "not valid JSON" : "unexpected value at \(path)"
        case DecodingError.keyNotFound(let key, _):
            return "\"\(key.stringValue)\" is missing"
        default:
            return (error as NSError).localizedDescription
        }
    }
}

/// The store's state at one point of its history, handed to the persister. Cheap to make: the collections
/// are copy-on-write.
struct StateSnapshot: Sendable {
    /// Grows with every change; a higher version holds every change of a lower one.
    let version: UInt64
    let records: [String: DeploymentRecord]
    let order: [String]
}
