import Foundation
import Hummingbird
import Logging
import ProvisioningCore

/// The REST adapter: resolves each request against `RESTRoute.all`, checks it, forwards provisioning calls
/// through the shared `KoyebClient` and answers in JSON. Logs one line per request.
///
/// Order of checks for a provisioning route: path and method (404, 405), bearer token (401), path parameters,
/// body size (413), body (400); only then is Koyeb called.
struct RESTResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let client: KoyebClient
    let authenticator: BearerAuthenticator?
    let bodyReader: RequestBodyReader
    let log: RequestLog
    /// `GET /openapi.json`, encoded once.
    let openAPIDocument: Data
    /// One decoder for every request body (it is safe to share; making one per request showed in profiles).
    private static let bodyDecoder = JSONDecoder()

    init(client: KoyebClient, configuration: AdapterConfiguration, logger: Logger) {
        self.client = client
        authenticator = configuration.authToken.map(BearerAuthenticator.init)
        bodyReader = RequestBodyReader(
            maximumBytes: configuration.maximumBodyBytes, maximumDepth: configuration.maximumNestingDepth)
        log = RequestLog(adapter: "rest", logger: logger)
        let document = OpenAPIDocument.make(requiresAuthentication: configuration.authToken != nil)
        openAPIDocument = (try? KoyebJSON.encoder(pretty: true).encode(document)) ?? Data("{}".utf8)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        let (route, response) = await handle(request)
        log.record(method: request.method, route: route, status: response.status, since: start)
        return response
    }

    /// The response, and the route template to log.
    private func handle(_ request: Request) async -> (String, Response) {
        switch RESTRoute.resolve(method: request.method, path: request.uri.path) {
        case .notFound:
            let path = TerminalText.sanitized(request.uri.path, limit: 200)
            return (
                "(unmatched)",
                JSONResponse.error(
                    .notFound, code: "not_found",
                    message: "no such route: \(request.method.rawValue) \(path); see GET /openapi.json for the routes")
            )
        case .methodNotAllowed(let template, let allowed):
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            return (
                template.description,
                JSONResponse.error(
                    .methodNotAllowed, code: "method_not_allowed",
                    message: "\(request.method.rawValue) is not allowed on \(template); allowed: \(allow)",
                    headers: [.allow: allow])
            )
        case .found(let route, let rawParameters):
            let response: Response
            switch route.action {
            case .health:
                response = JSONResponse.make(status: .ok, ["status": "ok"])
            case .openAPI:
                response = JSONResponse.make(status: .ok, data: openAPIDocument)
            case .provisioning(let operation):
                response = await provision(operation, rawParameters: rawParameters, request: request)
            }
            return (route.template.description, request.method == .head ? response.createHeadResponse() : response)
        }
    }

    // MARK: - Provisioning

    private func provision(
        _ operation: ProvisioningOperation, rawParameters: [PathParameter: String], request: Request
    ) async -> Response {
        if let rejection = authenticator?.rejection(of: request) { return rejection }
        let call: Declaration
        do {
            let parameters = try Self.decode(rawParameters)
            let body = try await readBody(request)
            let parser = ProvisioningCallParser(
                operation: operation, parameterName: \.restName, bodyFieldPrefix: "", bodyName: "body",
                refusesUnknownBodyFields: false)
            call = try parser.parse(parameters: parameters, body: body)
        } catch let invalid as InvalidInput {
            return JSONResponse.make(status: .badRequest, invalid.errorBody)
        } catch is RequestBodyReader.TooLarge {
            return bodyReader.tooLargeResponse
        } catch is RequestBodyReader.TooDeep {
            return bodyReader.tooDeepResponse
        } catch {
            return JSONResponse.invalidBody("the request body could not be read completely")
        }
        do {
            let reply = try await client.send(call)
            return JSONResponse.make(status: .ok, reply)
        } catch {
            let failure = UpstreamFailure.from(error)
            failure.log(operation, to: log.logger)
            var headers = HTTPFields()
            if let seconds = failure.retryAfterSeconds { headers[.retryAfter] = String(Int(seconds.rounded(.up))) }
            if let original = failure.originalBody {
                return JSONResponse.make(status: failure.status, original, headers: headers)
            }
            return JSONResponse.make(status: failure.status, failure.body, headers: headers)
        }
    }

    /// Percent-decodes the raw path parameters; a malformed escape is an `InvalidInput` naming the parameter.
    private static func decode(_ raw: [PathParameter: String]) throws(InvalidInput) -> [PathParameter: String] {
        var decoded = [PathParameter: String]()
        var problems = [ErrorField]()
        for (parameter, value) in raw {
            if !value.utf8.contains(UInt8(ascii: "%")) {
                decoded[parameter] = value
            } else if let text = value.removingPercentEncoding {
                decoded[parameter] = text
            } else {
                problems.append(ErrorField(field: parameter.restName, description: "is not valid percent-encoding"))
            }
        }
        guard problems.isEmpty else { throw InvalidInput(fields: problems) }
        return decoded
    }

    /// The body as JSON; `nil` when empty. Throws `InvalidInput` for text that is not JSON and
    /// `RequestBodyReader.TooLarge` past the limit.
    private func readBody(_ request: Request) async throws -> JSONValue? {
        let data = try await bodyReader.read(request)
        guard !data.isEmpty else { return nil }
        do {
            return try Self.bodyDecoder.decode(JSONValue.self, from: data)
        } catch {
            let problem = ErrorField(field: "body", description: "is not valid JSON; send a JSON object")
            throw InvalidInput(fields: [problem])
        }
    }
}
