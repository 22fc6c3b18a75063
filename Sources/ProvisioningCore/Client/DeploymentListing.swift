/// The deployments of a listing, in the pages the API sent them in.
///
/// A page that came back byte for byte as on the last poll is not decoded again: the client hands out the very
/// array it handed out then (`DecodedReplyCache`). `samePage(_:as:)` sees that without looking at a deployment,
/// so whoever keeps the last listing can skip the pages that did not change — the dashboard's tree does, and a
/// refresh of 10,000 deployments costs what its changed pages cost. In a page that did change, the client
/// hands out the deployments that did not as the values it handed out last time (`page(_:sharingUnchangedWith:)`),
/// so comparing them again finds shared storage at once.
public struct DeploymentListing: Sendable {
    /// The pages, in the order of the listing.
    public let pages: [[Deployment]]

    /// A listing of `pages`, in that order.
    public init(pages: [[Deployment]]) {
        self.pages = pages
    }

    /// A listing of one page holding `deployments`.
    public init(_ deployments: [Deployment]) {
        pages = [deployments]
    }

    /// Every deployment, the pages joined in order.
    public var deployments: [Deployment] {
        var all: [Deployment] = []
        all.reserveCapacity(count)
        for page in pages { all += page }
        return all
    }

    /// How many deployments the pages hold.
    public var count: Int {
        pages.reduce(0) { $0 + $1.count }
    }

    /// Whether page `index` of this listing and of `other` are one and the same array (shared storage, so equal
    /// without comparing a deployment). Equal pages decoded separately are not the same page; two empty pages
    /// always are (Swift's empty arrays share one buffer), which is right, as they hold nothing to compare.
    public func samePage(_ index: Int, as other: DeploymentListing) -> Bool {
        guard pages.indices.contains(index), other.pages.indices.contains(index) else { return false }
        return pages[index].withUnsafeBufferPointer { mine in
            other.pages[index].withUnsafeBufferPointer { theirs in
                mine.count == theirs.count && mine.baseAddress == theirs.baseAddress
            }
        }
    }

    /// `fresh`, each deployment equal to the one at the same position of `last` replaced by that one: equal, and
    /// sharing its storage, so a later comparison with `last`'s values ends at the first field.
    public static func page(_ fresh: [Deployment], sharingUnchangedWith last: [Deployment]) -> [Deployment] {
        var page = fresh
        for index in page.indices.prefix(last.count) where page[index] == last[index] {
            page[index] = last[index]
        }
        return page
    }
}
