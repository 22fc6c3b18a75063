import ProvisioningCore

/// The OpenAPI 3.0 document of the REST adapter, generated from `RESTRoute.all` and the operations' body
/// fields, served at `GET /openapi.json`.
enum OpenAPIDocument {
    /// The document; `requiresAuthentication` adds the bearer scheme to the provisioning operations.
    static func make(requiresAuthentication: Bool) -> JSONValue {
        var paths = [String: JSONValue]()
        for route in RESTRoute.all {
            var item = paths[route.template.description]?.objectValue ?? [:]
            item[route.method.rawValue.lowercased()] = operation(route, requiresAuthentication: requiresAuthentication)
            paths[route.template.description] = .object(item)
        }
        var components: [String: JSONValue] = ["schemas": .object(schemas)]
        if requiresAuthentication {
            components["securitySchemes"] = .object([
                "bearerAuth": .object([
                    "type": .string("http"), "scheme": .string("bearer"),
                    "description": .string("The token kprov serve was given with --auth-token or KPROV_SERVE_TOKEN."),
                ])
            ])
        }
        return .object([
            "openapi": .string("3.0.3"),
            "info": .object([
                "title": .string("kprov REST adapter for Koyeb provisioning"),
                "version": .string(KprovVersion.current),
                "description": .string(
                    """
                    Koyeb's three provisioning operations, served by `kprov serve` as the capability \
                    koyeb-provisioning declares. Each call is checked against Koyeb's request schema and then \
                    forwarded to the Koyeb API with the server's own token; the reply is Koyeb's JSON object as it \
                    came. Body fields the schema does not list are ignored and not forwarded, as Koyeb's gateway \
                    ignores unknown fields. Errors that Koyeb answers keep their status and JSON body; Koyeb out of \
                    reach gives 502, Koyeb too slow 504.
                    """),
            ]),
            "tags": .array([
                .object(["name": .string("Provisioning"), "description": .string("Declare build progress to Koyeb.")]),
                .object(["name": .string("Service"), "description": .string("The adapter itself.")]),
            ]),
            "paths": .object(paths),
            "components": .object(components),
        ])
    }

    // MARK: - Operations

    private static func operation(_ route: RESTRoute, requiresAuthentication: Bool) -> JSONValue {
        switch route.action {
        case .provisioning(let operation):
            var object: [String: JSONValue] = [
                "operationId": .string(operation.operationID),
                "summary": .string(operation.summary),
                "tags": .array([.string("Provisioning")]),
                "parameters": .array(route.template.parameters.map(parameter)),
                "requestBody": .object([
                    "required": .bool(true),
                    "content": jsonContent(reference(operation.requestSchemaName)),
                ]),
                "responses": .object(provisioningResponses(operation)),
            ]
            if requiresAuthentication {
                object["security"] = .array([.object(["bearerAuth": .array([])])])
            }
            return .object(object)
        case .health:
            return .object([
                "operationId": .string("health"),
                "summary": .string("Tell a load balancer the adapter is up"),
                "tags": .array([.string("Service")]),
                "responses": .object([
                    "200": response("The adapter is up.", schema: reference("Health"))
                ]),
            ])
        case .openAPI:
            return .object([
                "operationId": .string("openapi"),
                "summary": .string("This document"),
                "tags": .array([.string("Service")]),
                "responses": .object([
                    "200": response("The OpenAPI document.", schema: .object(["type": .string("object")]))
                ]),
            ])
        }
    }

    private static func parameter(_ parameter: PathParameter) -> JSONValue {
        .object([
            "name": .string(parameter.restName), "in": .string("path"), "required": .bool(true),
            "description": .string(parameter.summary), "schema": parameter.schema,
        ])
    }

    private static func provisioningResponses(_ operation: ProvisioningOperation) -> [String: JSONValue] {
        let error = reference("Error")
        return [
            "200": response("Koyeb's reply, as it came.", schema: reference(operation.replySchemaName)),
            "400": response(
                "The request does not fit Koyeb's schema (nothing was sent to Koyeb), or Koyeb refused it as invalid.",
                schema: reference("ErrorWithFields")),
            "401": response("The bearer token is missing or wrong.", schema: error),
            "403": response("Koyeb refused access, e.g. a wrong provisioning secret.", schema: error),
            "404": response("Koyeb does not know the deployment, stage or attempt.", schema: error),
            "413": response("The request body is larger than the server's limit.", schema: error),
            "429": response("Koyeb is rate limiting the server.", schema: error),
            "500": response("Koyeb, or the adapter, failed.", schema: error),
            "502": response(
                "The Koyeb API could not be reached, refused the server's own API token, or its reply could not be "
                    + "read.", schema: error),
            "503": response("The Koyeb API is unavailable.", schema: error),
            "504": response("The Koyeb API did not answer in time.", schema: error),
            "default": response("Any other error Koyeb answered, passed on with its status.", schema: error),
        ]
    }

    // MARK: - Schemas

    private static var schemas: [String: JSONValue] {
        var schemas: [String: JSONValue] = [
            "Error": .object([
                "type": .string("object"),
                "properties": .object([
                    "status": .object(["type": .string("integer"), "format": .string("int32")]),
                    "code": .object(["type": .string("string")]),
                    "message": .object(["type": .string("string")]),
                ]),
            ]),
            "ErrorWithFields": .object([
                "type": .string("object"),
                "properties": .object([
                    "status": .object(["type": .string("integer"), "format": .string("int32")]),
                    "code": .object(["type": .string("string")]),
                    "message": .object(["type": .string("string")]),
                    "fields": .object(["type": .string("array"), "items": reference("ErrorField")]),
                ]),
            ]),
            "ErrorField": .object([
                "type": .string("object"),
                "properties": .object([
                    "field": .object(["type": .string("string")]),
                    "description": .object(["type": .string("string")]),
                ]),
            ]),
            "Health": .object([
                "type": .string("object"),
                "required": .array([.string("status")]),
                "properties": .object(["status": .object(["type": .string("string"), "enum": .array([.string("ok")])])]
                ),
            ]),
        ]
        for operation in ProvisioningOperation.allCases {
            schemas[operation.requestSchemaName] = .object([
                "type": .string("object"),
                "properties": .object(
                    Dictionary(uniqueKeysWithValues: operation.bodyFields.map { ($0.name, $0.schema) })),
            ])
            schemas[operation.replySchemaName] = .object(["type": .string("object")])
        }
        return schemas
    }

    // MARK: - Helpers

    private static func reference(_ schema: String) -> JSONValue {
        .object(["$ref": .string("#/components/schemas/\(schema)")])
    }

    private static func jsonContent(_ schema: JSONValue) -> JSONValue {
        .object(["application/json": .object(["schema": schema])])
    }

    private static func response(_ description: String, schema: JSONValue) -> JSONValue {
        .object(["description": .string(description), "content": jsonContent(schema)])
    }
}

extension JSONValue {
    /// The members when this is an object.
    var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }
}
