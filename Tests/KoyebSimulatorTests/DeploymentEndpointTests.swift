import Foundation
import KoyebSimulator
import ProvisioningCore
import Testing

/// `GET /v1/deployments` and `GET /v1/deployments/{id}`, authentication, and unknown endpoints.
@Suite struct DeploymentEndpointTests {
    /// Inserts `count` deployments, newest first by index: `dep-0` is the newest. Even ones are in `app-even`,
    /// every third one is HEALTHY, the rest PENDING.
    private func insertMany(_ count: Int, into harness: SimulatorHarness) async throws {
        for index in 0..<count {
            try await harness.insertDeployment(
                id: "dep-\(index)", appID: index % 2 == 0 ? "app-even" : "app-odd", serviceID: "svc-\(index % 4)",
                status: index % 3 == 0 ? .healthy : .pending,
                createdAt: Date(timeIntervalSince1970: 1_800_000_000 - Double(index) * 60))
        }
    }

    // MARK: - Listing

    @Test func listingPagesNewestFirstWithDefaultLimitCountAndHasNext() async throws {
        try await SimulatorHarness.with { harness in
            try await insertMany(45, into: harness)
            let first = try await harness.client.deploymentsPage(filter: DeploymentFilter(pageSize: 100), offset: 0)
            #expect(first.count == 45)
            #expect(first.deployments.map(\.id).prefix(3) == ["dep-0", "dep-1", "dep-2"])

            let answer = try await harness.send(.GET, "/v1/deployments")
            let json = try #require(answer.json as? [String: Any])
            #expect((json["deployments"] as? [Any])?.count == 20)
            #expect(json["limit"] as? Int == 20)
            #expect(json["offset"] as? Int == 0)
            #expect(json["count"] as? Int == 45)
            #expect(json["has_next"] as? Bool == true)

            let last = try await harness.client.deploymentsPage(filter: DeploymentFilter(pageSize: 20), offset: 40)
            #expect(last.deployments.map(\.id) == (40..<45).map { "dep-\($0)" })
            #expect(last.hasNext == false)
            #expect(last.offset == 40)

            let all = try await harness.client.allDeployments(filter: DeploymentFilter(pageSize: 7))
            #expect(all.map(\.id) == (0..<45).map { "dep-\($0)" })
        }
    }

    @Test func aListingFetchedAgainSharesItsUnchangedPagesAndDeployments() async throws {
        try await SimulatorHarness.with { harness in
            try await insertMany(25, into: harness)
            let filter = DeploymentFilter(pageSize: 10)
            let first = try await harness.client.deploymentListing(filter: filter)
            #expect(first.pages.map(\.count) == [10, 10, 5])
            #expect(first.deployments.map(\.id) == (0..<25).map { "dep-\($0)" })

            let again = try await harness.client.deploymentListing(filter: filter)
            #expect((0..<3).allSatisfy { again.samePage($0, as: first) })

            // dep-12 changes: its page is decoded anew, the other two are the very same arrays.
            _ = try await harness.client.createStageAttempt(
                ProvisioningTarget(deploymentID: "dep-12", stage: "build", attempt: 1),
                CreateStageAttemptRequest(status: .running, steps: ["build"]))
            let changed = try await harness.client.deploymentListing(filter: filter)
            #expect(changed.samePage(0, as: again) && changed.samePage(2, as: again))
            #expect(!changed.samePage(1, as: again))
            #expect(changed.deployments == (try await harness.client.allDeployments(filter: filter)))
            #expect(changed.pages[1][2].provisioningInfo?.stages.map(\.name) == ["build"])
            // In the new page, the deployments that did not change are the values handed out last time: their
            // 40-character sha is the same string storage, not a copy decoded anew.
            func shaStorage(_ deployment: Deployment) -> UnsafeRawPointer? {
                deployment.provisioningInfo?.sha?.utf8.withContiguousStorageIfAvailable {
                    UnsafeRawPointer($0.baseAddress)
                } ?? nil
            }
            #expect(shaStorage(changed.pages[1][0]) != nil)
            let unchanged = changed.pages[1].indices.filter { $0 != 2 }
            #expect(unchanged.allSatisfy { shaStorage(changed.pages[1][$0]) == shaStorage(again.pages[1][$0]) })
            #expect(shaStorage(changed.pages[1][2]) != shaStorage(again.pages[1][2]))
        }
    }

    @Test func listingFiltersOnRepeatedStatusesAppAndService() async throws {
        try await SimulatorHarness.with { harness in
            try await insertMany(12, into: harness)
            try await harness.insertDeployment(
                id: "dep-error", appID: "app-odd", serviceID: "svc-1", status: .error,
                createdAt: Date(timeIntervalSince1970: 1_700_000_000))

            let healthy = try await harness.client.allDeployments(filter: DeploymentFilter(statuses: [.healthy]))
            #expect(healthy.map(\.id) == ["dep-0", "dep-3", "dep-6", "dep-9"])

            let answer = try await harness.send(.GET, "/v1/deployments?statuses=HEALTHY&statuses=ERROR&limit=100")
            let ids = ((answer.json as? [String: Any])?["deployments"] as? [[String: Any]])?.compactMap {
                $0["id"] as? String
            }
            #expect(ids == ["dep-0", "dep-3", "dep-6", "dep-9", "dep-error"])

            let even = try await harness.client.allDeployments(filter: DeploymentFilter(appID: "app-even"))
            #expect(even.map(\.id) == ["dep-0", "dep-2", "dep-4", "dep-6", "dep-8", "dep-10"])

            let service = try await harness.client.allDeployments(
                filter: DeploymentFilter(statuses: [.pending], appID: "app-odd", serviceID: "svc-1"))
            #expect(service.map(\.id) == ["dep-1", "dep-5"])

            let page = try await harness.client.deploymentsPage(filter: DeploymentFilter(appID: "app-none"), offset: 0)
            #expect(page.deployments.isEmpty && page.count == 0 && page.hasNext == false)
        }
    }

    @Test(arguments: [
        ("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset"),
        ("offset=x", "offset"), ("statuses=RUNNING", "statuses"), ("statuses=healthy", "statuses"),
    ])
    func listingRefusesABadParameterNamingIt(query: String, field: String) async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.send(.GET, "/v1/deployments?\(query)")
            #expect(answer.status == 400)
            let body = try answer.errorBody()
            #expect(body.code == "invalid_argument")
            #expect(body.status == 400)
            #expect(body.fields.map(\.field) == [field])
            #expect(body.fields.first?.description.contains("allowed") == true)
        }
    }

    @Test func listingAcceptsTheLimitBoundsAndIgnoresUnknownParameters() async throws {
        try await SimulatorHarness.with { harness in
            try await insertMany(3, into: harness)
            #expect(try await harness.send(.GET, "/v1/deployments?limit=1&colour=blue").status == 200)
            let answer = try await harness.send(.GET, "/v1/deployments?limit=100&offset=2")
            let json = try #require(answer.json as? [String: Any])
            #expect((json["deployments"] as? [Any])?.count == 1)
            #expect(json["limit"] as? Int == 100)
        }
    }

    // MARK: - One deployment

    @Test func getDeploymentWrapsItAndPercentDecodesTheID() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.insertDeployment(id: "odd id/with slash")
            let deployment = try await harness.client.deployment(id: "odd id/with slash")
            #expect(deployment.id == "odd id/with slash")
            #expect(deployment.appID == "app-1")

            let answer = try await harness.send(.GET, "/v1/deployments/odd%20id%2Fwith%20slash")
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"] == "application/json")
            let json = try #require(answer.json as? [String: Any])
            #expect(Array(json.keys) == ["deployment"])
        }
    }

    @Test func unknownDeploymentIs404UnknownResource() async throws {
        try await SimulatorHarness.with { harness in
            let error = try await #require(throws: APIError.self) { try await harness.client.deployment(id: "nope") }
            #expect(error.httpStatus == 404)
            #expect(error.code == "unknown_resource")
            #expect(error.body?.message?.contains("nope") == true)
        }
    }

    // MARK: - Authentication and routing

    @Test(arguments: [nil, "wrong-token", ""])
    func aMissingOrWrongTokenIs401(token: String?) async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.send(.GET, "/v1/deployments", token: token)
            #expect(answer.status == 401)
            let body = try answer.errorBody()
            #expect(body.code == "authentication_error")
            #expect(body.status == 401)
            #expect(body.message?.isEmpty == false)
            #expect(body.message?.contains(SimulatorConfiguration.developmentToken) == false)
        }
    }

    @Test func otherSchemesAreRefusedAndTheBearerSchemeIsCaseInsensitive() async throws {
        try await SimulatorHarness.with { harness in
            let basic = try await harness.send(
                .GET, "/v1/deployments", token: nil, headers: [("Authorization", "Basic a3Byb3Y6a3Byb3Y=")])
            #expect(basic.status == 401)
            let lower = try await harness.send(
                .GET, "/v1/deployments", token: nil,
                headers: [("Authorization", "bearer \(SimulatorConfiguration.developmentToken)")])
            #expect(lower.status == 200)
        }
    }

    @Test func configuredTokensReplaceTheDevelopmentToken() async throws {
        let configuration = SimulatorConfiguration(acceptedTokens: ["alpha", "beta"])
        try await SimulatorHarness.with(configuration) { harness in
            let statuses = [
                try await harness.send(.GET, "/v1/deployments", token: "alpha").status,
                try await harness.send(.GET, "/v1/deployments", token: "beta").status,
                try await harness.send(.GET, "/v1/deployments").status,
            ]
            #expect(statuses == [200, 200, 401])
        }
    }

    @Test func unknownEndpointsAnswerAKoyebShaped404() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.send(.GET, "/v1/apps")
            #expect(answer.status == 404)
            #expect(try answer.errorBody().code == "unknown_resource")
            let wrongMethod = try await harness.send(.DELETE, "/v1/deployments/dep-1")
            #expect(wrongMethod.status == 404)
        }
    }
}
