import DashboardCore
import Foundation
import ProvisioningCore

/// The dashboard's tree as plain text, every node expanded, for `kprov tree`: the same row contents as the
/// screen, without colours or truncation.
public enum TreeTextPrinter {
    /// One line per node.
    public static func lines(for deployments: [Deployment], glyphs: Glyphs, now: Date) -> [String] {
        var tree = DeploymentTree(deployments: deployments)
        tree.expandAll()
        let content = TreeRowContent(glyphs: glyphs, now: now, spinnerFrame: nil)
        return tree.rows(from: 0, count: tree.rowCount).compactMap { row in
            guard let node = tree.node(row.id) else { return nil }
            let spans = content.spans(for: row, node: node, width: 120)
            var line = spans.left.map(\.text).joined()
            if !spans.right.isEmpty { line += "  " + spans.right.map(\.text).joined() }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
