/// `o`: the outbox panel — which entry is selected, and what is being asked or done.
public struct OutboxPanel: Hashable, Sendable {
    /// The selected entry's id; `nil` while the outbox is empty.
    public var selectedID: Int?
    /// `d` asked whether to drop the selected entry; the panel waits for y/n.
    public var confirmsDrop = false
    /// A retry or drop sent and not answered yet; another waits for it.
    public var pending: OutboxRequest?

    public init(selectedID: Int?) {
        self.selectedID = selectedID
    }
}
