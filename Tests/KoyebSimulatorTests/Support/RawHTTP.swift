import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// HTTP/1.1 over a plain socket, byte for byte: for requests an HTTP client would normalise (a broken percent
/// escape in the path) and for seeing exactly how a connection ends.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends `request` (with `Connection: close`) to 127.0.0.1:`port` and returns everything read until the
    /// server closes the connection; empty when it closed without answering.
    static func exchange(port: Int, _ request: String, timeoutSeconds: Int = 10) async throws -> String {
        let descriptor = try await openConnection(port: port, sending: request, timeoutSeconds: timeoutSeconds)
        return await readToClose(descriptor)
    }

    /// Connects to 127.0.0.1:`port` and writes `request` (whole or not: the server may be left waiting for the
    /// rest); returns the open socket, whose reads give up after `timeoutSeconds`.
    ///
    /// The socket calls block, so they run on a Dispatch thread: blocking Swift's cooperative pool would starve
    /// the in-process server of the threads it needs to answer.
    static func openConnection(port: Int, sending request: String, timeoutSeconds: Int) async throws -> Int32 {
        try await onDispatchThread { try blockingOpen(port: port, sending: request, timeoutSeconds: timeoutSeconds) }
    }

    /// Everything read from `descriptor` until the server closes it (or the read times out); closes it.
    static func readToClose(_ descriptor: Int32) async -> String {
        // The reading itself cannot fail: an error or a time-out ends it like the server closing.
        (try? await onDispatchThread {
            defer { close(descriptor) }
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                guard count > 0 else { break }
                received += buffer[0..<count]
            }
            return String(decoding: received, as: UTF8.self)
        }) ?? ""
    }

    private static func onDispatchThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func blockingOpen(port: Int, sending request: String, timeoutSeconds: Int) throws -> Int32 {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "socket failed (errno \(errno))") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure(description: "connect failed (errno \(errno))")
        }
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { break }
            sent += written
        }
        return descriptor
    }

    /// A request with the development token, `Connection: close` and `body`.
    static func request(_ method: String, _ path: String, body: String = "", token: String) -> String {
        "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
    }
}
