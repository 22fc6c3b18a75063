import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// A typed client for Koyeb's provisioning API and the deployment reads a dashboard needs.
///
/// One pool of keep-alive HTTP/1.1 connections per instance (`ConnectionPool`); call `shutdown()` when done.
/// Every request carries `Authorization: Bearer …` and `User-Agent: kprov/<version>`; those with a body
/// `Content-Type: application/json`. Errors are always `APIError`. Requests are retried as `RetryPolicy` says:
/// GETs and the two PATCHes (idempotent) on transport failures and 429/502/503/504; the POST that creates an
/// attempt only after checking with a GET that an ambiguous failure did not in fact create it.
public final class KoyebClient: Sendable {
    /// Where and how this client talks to Koyeb; fixed for the client's life.
    public let configuration: KoyebClientConfiguration
    private let connections: ConnectionPool
    private let logger: Logger
    private let sleeper: Sleeper
    /// The headers every request carries, built once.
    private let commonHeaders: HTTPHeaders
    /// Listing pages as last decoded, so an unchanged page is not decoded again on the next poll.
    private let listingPages = DecodedReplyCache<ListDeploymentsReply>(capacity: 1_000) { fresh, last in
        var page = fresh
        page.deployments = DeploymentListing.page(fresh.deployments, sharingUnchangedWith: last.deployments)
        return page
    }
    /// One encoder and one decoder for every request: both are safe to share, and making them per request showed
    /// in profiles of many small declarations.
    private static let encoder = KoyebJSON.encoder()
    private static let decoder = KoyebJSON.decoder()

    /// Beyond this many pages, `deploymentListing` follows `has_next` page by page instead of trusting `count`.
    static let maximumConcurrentPages: Int64 = 10_000

    /// The `User-Agent` sent with every request.
    public static let userAgent = "kprov/\(KprovVersion.current)"

    /// Creates a client with its own connection pool.
    /// - Parameter sleeper: how to wait between retries; tests inject a recording one.
    public init(
        configuration: KoyebClientConfiguration,
        logger: Logger = Logger(label: "kprov.client"),
        sleeper: Sleeper = .live
    ) {
        self.configuration = configuration
        self.logger = logger
        self.sleeper = sleeper
        var tls = TLSConfiguration.makeClientConfiguration()
        if let trustRoots = configuration.trustRoots { tls.trustRoots = trustRoots }
        // A refused connection fails the request at once; `RetryPolicy` decides about retrying, with back-off.
        connections = ConnectionPool(
            origin: HTTPOrigin(configuration.baseURL), proxy: configuration.proxy, tls: tls,
            maximumConnections: configuration.maximumConnections,
            connectTimeout: configuration.connectTimeout, idleTimeout: Self.idleConnectionTimeout)
        var headers = HTTPHeaders()
        headers.add(name: "User-Agent", value: Self.userAgent)
        headers.add(name: "Accept", value: "application/json")
        if let token = configuration.token {
            headers.add(name: "Authorization", value: token.bearerHeaderValue)
        }
        commonHeaders = headers
    }

    /// How long a connection may stay idle in the pool: under servers' usual keep-alive timeouts (nginx's 75 s,
    /// `ServerLimits.connectionIdleTimeout`), so that the client mostly closes it first; a request that finds its
    /// connection closed by the server anyway goes on another.
    static let idleConnectionTimeout = Duration.seconds(60)

    /// Closes the connection pool: the idle connections at once, those in use when their request ends; requests
    /// made afterwards fail. Call once, after the last request.
    public func shutdown() async {
        await connections.shutdown()
    }

    // MARK: - Reads

    /// `GET /v1/deployments/{id}`.
    public func deployment(id: String) async throws -> Deployment {
        let reply: GetDeploymentReply = try await send(
            .GET, path: "/v1/deployments/" + PathSegment.encode(id), body: nil)
        guard let deployment = reply.deployment else {
            throw APIError.unreadableReply(status: 200, detail: "the reply has no \"deployment\"")
        }
        return deployment
    }

    /// One page of `GET /v1/deployments`. A page that comes back exactly as last time is not decoded again.
    public func deploymentsPage(filter: DeploymentFilter, offset: Int) async throws -> ListDeploymentsReply {
        try await send(.GET, path: "/v1/deployments?" + filter.query(offset: offset), body: nil, cache: listingPages)
    }

    /// Every page of `GET /v1/deployments`, one after the other, following `has_next`.
    /// - Parameter start: the offset of the first page, `0` for the whole listing.
    public func listDeployments(
        filter: DeploymentFilter, from start: Int = 0
    ) -> AsyncThrowingStream<[Deployment], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var offset = start
                    while true {
                        let page = try await deploymentsPage(filter: filter, offset: offset)
                        continuation.yield(page.deployments)
                        offset += page.deployments.count
                        guard page.hasNext == true, !page.deployments.isEmpty else { break }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// All deployments that match `filter`, the pages joined (see `deploymentListing`).
    public func allDeployments(filter: DeploymentFilter, concurrency: Int = 8) async throws -> [Deployment] {
        try await deploymentListing(filter: filter, concurrency: concurrency).deployments
    }

    /// All deployments that match `filter`, page by page. After the first page, the remaining pages (known from
    /// `count`) are fetched concurrently, at most `concurrency` at a time, and returned in order. A page that
    /// came back exactly as last time is the array returned last time (see `DeploymentListing.samePage`).
    public func deploymentListing(filter: DeploymentFilter, concurrency: Int = 8) async throws -> DeploymentListing {
        let first = try await deploymentsPage(filter: filter, offset: 0)
        guard first.hasNext == true, !first.deployments.isEmpty else { return DeploymentListing(first.deployments) }
        let pageSize = first.deployments.count
        // `count` comes from the server: trust it for concurrent fetching only while it is plausible.
        guard let count = first.count, count > Int64(pageSize), count <= Int64(pageSize) * Self.maximumConcurrentPages
        else {
            var pages = [first.deployments]
            for try await page in listDeployments(filter: filter, from: pageSize) { pages.append(page) }
            return DeploymentListing(pages: pages)
        }
        let offsets = Array(stride(from: pageSize, to: Int(count), by: pageSize))
        var pages = [Int: [Deployment]]()
        try await withThrowingTaskGroup(of: (Int, [Deployment]).self) { group in
            var next = 0
            func addNext() {
                guard next < offsets.count else { return }
                let offset = offsets[next]
                next += 1
                group.addTask { (offset, try await self.deploymentsPage(filter: filter, offset: offset).deployments) }
            }
            for _ in 0..<max(1, concurrency) { addNext() }
            while let (offset, deployments) = try await group.next() {
                pages[offset] = deployments
                addNext()
            }
        }
        return DeploymentListing(pages: [first.deployments] + offsets.compactMap { pages[$0] })
    }

    /// The attempt `target` addresses, if it exists, asked with `GET /v1/deployments/{id}`.
    public func attempt(_ target: ProvisioningTarget) async throws -> BuildAttempt? {
        let deployment = try await deployment(id: target.deploymentID)
        return deployment.provisioningInfo?.stage(named: target.stage)?.attempt(id: target.attempt)
    }

    // MARK: - Provisioning operations

    /// `POST /v1/provisioning/{deployment_id}/status/{stage}/{attempt}`: creates an attempt for a stage.
    ///
    /// Not idempotent: after a failure that may have reached the server (a lost reply, a 5xx), the client asks
    /// with a GET whether the attempt now exists as this request creates it (`BuildAttempt.matches`) and, if
    /// it does, reports success instead of sending again. An attempt that exists otherwise was there before: the
    /// create is sent again, and Koyeb refuses it as it would have the first time. When that GET fails, the
    /// create is sent again all the same; if Koyeb then answers that the attempt exists (400
    /// `failed_precondition`), a GET — retried like any other — decides: the attempt as this request creates it
    /// is success, any other attempt is the refusal.
    public func createStageAttempt(
        _ target: ProvisioningTarget, _ request: CreateStageAttemptRequest
    ) async throws -> ProvisioningReply {
        let body = try encode(request)
        var lastError: APIError?
        var retry = 0
        var waited = Duration.zero
        // An earlier try may have created the attempt, and no GET has looked since.
        var mayHaveLandedUnseen = false
        while retry < configuration.retryPolicy.maximumAttempts {
            if retry > 0, let lastError {
                guard try await waitBeforeRetry(retry - 1, after: lastError, waited: &waited) else { break }
                if mayHaveLandedUnseen {
                    do {
                        if try await attemptExists(target, as: request) { return ProvisioningReply() }
                        mayHaveLandedUnseen = false
                    } catch is APIError {
                        // Still unknown: sending again is safe, as a refusal that it exists is checked below.
                    }
                }
            }
            do {
                return try await sendOnce(.POST, path: target.path, body: body)
            } catch let error as APIError where Self.shouldRetry(error) {
                lastError = error
                mayHaveLandedUnseen = mayHaveLandedUnseen || Self.mayHaveReachedServer(error)
                retry += 1
            } catch let error as APIError where mayHaveLandedUnseen && Self.mayMeanTheAttemptExists(error) {
                guard try await attemptExists(target, as: request) else { throw error }
                return ProvisioningReply()
            }
        }
        throw lastError ?? APIError.transport(.unreachable(detail: "no attempt was made"))
    }

    /// Whether the attempt `target` addresses exists as `request` creates it, asked with a GET after a create
    /// whose outcome is unknown.
    func attemptExists(_ target: ProvisioningTarget, as request: CreateStageAttemptRequest) async throws -> Bool {
        guard try await attempt(target)?.matches(request) == true else { return false }
        logger.debug("create attempt: \(target) exists after an ambiguous failure; not sending again")
        return true
    }

    /// Whether `error` is how Koyeb refuses to create an attempt that already exists.
    static func mayMeanTheAttemptExists(_ error: APIError) -> Bool {
        error.httpStatus == 400 && error.code == "failed_precondition"
    }

    /// `PATCH /v1/provisioning/{deployment_id}/status/{stage}/{attempt}`: declares a stage attempt's progress.
    public func declareStageProgress(
        _ target: ProvisioningTarget, _ request: DeclareStageProgressRequest
    ) async throws -> ProvisioningReply {
        try await send(.PATCH, path: target.path, body: try encode(request))
    }

    /// `PATCH /v1/provisioning/{deployment_id}/status/{stage}/{attempt}/{step}`: declares a step's progress.
    public func declareStepProgress(
        _ target: ProvisioningTarget, _ request: DeclareStepProgressRequest
    ) async throws -> ProvisioningReply {
        precondition(target.step != nil, "declareStepProgress needs a target with a step")
        return try await send(.PATCH, path: target.path, body: try encode(request))
    }

    // MARK: - Sending

    private func encode(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try Self.encoder.encode(value))
    }

    /// Sends an idempotent request (a GET or one of the PATCHes), retrying as `RetryPolicy` says.
    private func send<Reply: Decodable & Sendable>(
        _ method: HTTPMethod, path: String, body: ByteBuffer?, cache: DecodedReplyCache<Reply>? = nil
    ) async throws -> Reply {
        var waited = Duration.zero
        var retry = 0
        while true {
            do {
                return try await sendOnce(method, path: path, body: body, cache: cache)
            } catch let error as APIError
                where Self.shouldRetry(error) && retry + 1 < configuration.retryPolicy.maximumAttempts
            {
                guard try await waitBeforeRetry(retry, after: error, waited: &waited) else { throw error }
                retry += 1
            }
        }
    }

    /// Waits before retry `retry`; returns `false` (without waiting) when that would exceed the total budget.
    private func waitBeforeRetry(_ retry: Int, after error: APIError, waited: inout Duration) async throws -> Bool {
        let policy = configuration.retryPolicy
        let delay = policy.delay(
            beforeRetry: retry, retryAfterSeconds: error.retryAfterSeconds, random: Double.random(in: 0..<1))
        guard waited + delay <= policy.maximumTotalDelay else { return false }
        logger.debug("retrying in \(delay) after: \(error)")
        waited += delay
        try await sleeper.sleep(delay)
        return true
    }

    static func shouldRetry(_ error: APIError) -> Bool {
        if case .notSent? = error.transportFailure { return false }
        if error.isTransportFailure { return true }
        return error.httpStatus.map(RetryPolicy.retryableStatuses.contains) ?? false
    }

    /// Whether the request may have been processed although no success came back.
    static func mayHaveReachedServer(_ error: APIError) -> Bool {
        switch error.transportFailure {
        case .unreachable?, .proxyFailed?, .tls?, .notSent?: return false
        case .timedOut(let phase)?: return phase == "waiting for the reply"
        case .connectionLost?: return true
        case nil: return error.httpStatus.map { $0 >= 500 } ?? false
        }
    }

    private func sendOnce<Reply: Decodable & Sendable>(
        _ method: HTTPMethod, path: String, body: ByteBuffer?, cache: DecodedReplyCache<Reply>? = nil
    ) async throws -> Reply {
        var headers = commonHeaders
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        let started = ContinuousClock.now
        let response: HTTPReply
        do {
            response = try await connections.execute(
                // The create is the one request kprov never sends twice blindly (see `createStageAttempt`).
                HTTPRequest(method: method, path: path, headers: headers, body: body, isIdempotent: method != .POST),
                timeout: configuration.requestTimeout, maximumBodyBytes: configuration.maximumReplyBytes)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw TransportErrorClassifier.classify(error).withBaseURL(configuration.baseURL)
        }
        let replyBody = response.body
        let status = Int(response.status.code)
        logger.debug("\(method.rawValue) \(path) → \(status) in \(ContinuousClock.now - started)")
        guard (200..<300).contains(status) else {
            let retryAfter = RetryAfter.seconds(response.headers.first(name: "Retry-After"))
            let data = Data(replyBody.readableBytesView)
            let errorBody = try? Self.decoder.decode(ErrorBody.self, from: data)
            let original = data.count <= 64 << 10 ? try? Self.decoder.decode(JSONValue.self, from: data) : nil
            let originalObject: JSONValue? = if case .object? = original { original } else { nil }
            throw APIError.answered(
                status: status, body: errorBody, retryAfterSeconds: retryAfter, originalBody: originalObject,
                tokenSource: configuration.token?.source)
        }
        if let reused = cache?.reply(for: path, bytes: replyBody) { return reused }
        let reply: Reply
        do {
            let data = replyBody.readableBytes == 0 ? Data("{}".utf8) : Data(replyBody.readableBytesView)
            reply = try Self.decoder.decode(Reply.self, from: data)
        } catch {
            throw APIError.unreadableReply(status: status, detail: DecodingErrorText.describe(error))
        }
        return cache?.store(reply, bytes: replyBody, for: path) ?? reply
    }
}
