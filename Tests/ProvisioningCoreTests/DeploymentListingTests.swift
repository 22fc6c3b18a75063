import Foundation
import Testing

@testable import ProvisioningCore

/// `DeploymentListing`: pages in order, page identity, and unchanged deployments handed out as last time.
@Suite struct DeploymentListingTests {
    /// The fixture deployment as `id` with `status`, decoded afresh: its strings and arrays have storage of their own.
    private func decoded(_ id: String, status: DeploymentStatus = .provisioning) throws -> Deployment {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/deployment.json", withExtension: nil))
        var deployment = try #require(
            try KoyebJSON.decoder().decode(GetDeploymentReply.self, from: Data(contentsOf: url)).deployment)
        deployment.id = id
        deployment.status = status
        return deployment
    }

    /// Whether `left` and `right` share storage: their app id's bytes and their stages' buffer are the same.
    private func sameStorage(_ left: Deployment, _ right: Deployment) -> Bool {
        func addresses(_ deployment: Deployment) -> [UnsafeRawPointer?] {
            [
                deployment.appID?.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil,
                deployment.provisioningInfo?.stages.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) },
            ]
        }
        return addresses(left) == addresses(right)
    }

    @Test func thePagesJoinInOrder() throws {
        let listing = DeploymentListing(pages: [[try decoded("a"), try decoded("b")], [], [try decoded("c")]])
        #expect(listing.deployments.map(\.id) == ["a", "b", "c"])
        #expect(listing.count == 3)
        #expect(DeploymentListing([try decoded("x")]).pages.map { $0.map(\.id) } == [["x"]])
    }

    @Test func aPageIsTheSameOnlyWhenItIsTheSameArray() throws {
        let page = [try decoded("a"), try decoded("b")]
        let listing = DeploymentListing(pages: [page, [try decoded("c")]])
        let again = DeploymentListing(pages: [page, [try decoded("c")]])
        #expect(again.samePage(0, as: listing))
        #expect(!again.samePage(1, as: listing), "equal, but decoded separately")
        #expect(!DeploymentListing(pages: [page.map { $0 }]).samePage(0, as: listing), "an equal copy")
        #expect(!again.samePage(2, as: listing), "no such page")
        #expect(!DeploymentListing(pages: [Array(page.prefix(1))]).samePage(0, as: listing))
    }

    @Test func unchangedDeploymentsOfAChangedPageAreTheLastValues() throws {
        let last = [try decoded("a"), try decoded("b"), try decoded("c")]
        let fresh = [try decoded("a"), try decoded("b", status: .healthy), try decoded("c"), try decoded("d")]
        #expect(!sameStorage(fresh[0], last[0]), "the fixture's values have storage of their own")

        let page = DeploymentListing.page(fresh, sharingUnchangedWith: last)
        #expect(page == fresh)
        #expect(sameStorage(page[0], last[0]) && sameStorage(page[2], last[2]))
        #expect(sameStorage(page[1], fresh[1]) && sameStorage(page[3], fresh[3]))
        #expect(DeploymentListing.page(Array(fresh.prefix(1)), sharingUnchangedWith: last).map(\.id) == ["a"])
        #expect(DeploymentListing.page(fresh, sharingUnchangedWith: []) == fresh)
    }
}
