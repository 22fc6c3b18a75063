import Foundation
import Hummingbird
import ProvisioningCore

/// One deployment as the store keeps it: the value, its provisioning secret, and its JSON already encoded —
/// a read is then a dictionary lookup and a buffer handed to the network, with no encoding per request.
struct DeploymentRecord: Sendable {
    private(set) var deployment: Deployment
    let secret: String?
    /// The deployment's JSON, as a list item.
    private(set) var item: ByteBuffer
    /// `{"deployment": …}`, the reply of `GET /v1/deployments/{id}`.
    private(set) var reply: ByteBuffer

    init(_ deployment: Deployment, secret: String?, encoder: JSONEncoder) throws {
        self.deployment = deployment
        self.secret = secret
        (item, reply) = try Self.encode(deployment, encoder: encoder)
    }

    /// Replaces the deployment and its encoded forms.
    mutating func update(_ deployment: Deployment, encoder: JSONEncoder) throws {
        (item, reply) = try Self.encode(deployment, encoder: encoder)
        self.deployment = deployment
    }

    /// Whether `candidate` (the request body's `secret`) satisfies this deployment: always when it has no
    /// secret; otherwise only the same secret, compared in constant time.
    func accepts(secret candidate: String?) -> Bool {
        guard let secret else { return true }
        return ConstantTime.equals(secret, candidate ?? "")
    }

    private static func encode(_ deployment: Deployment, encoder: JSONEncoder) throws -> (ByteBuffer, ByteBuffer) {
        let json = try encoder.encode(deployment)
        var reply = ByteBuffer()
        reply.reserveCapacity(json.count + 16)
        reply.writeStaticString("{\"deployment\":")
        reply.writeBytes(json)
        reply.writeStaticString("}")
        return (ByteBuffer(bytes: json), reply)
    }
}

/// A deployment with its provisioning secret: the unit of seed data, `insert` and the state file.
struct StoredDeployment: Codable, Sendable {
    var deployment: Deployment
    var secret: String?
}
