import SnapshotTesting
import TerminalUI

extension Snapshotting where Value == Screen, Format == String {
    /// The screen's characters, one line per row.
    static var screenText: Snapshotting<Screen, String> {
        Snapshotting<String, String>.lines.pullback { (screen: Screen) in screen.text + "\n" }
    }

    /// The screen's styles: one letter per cell and a legend.
    static var screenAttributes: Snapshotting<Screen, String> {
        Snapshotting<String, String>.lines.pullback { (screen: Screen) in screen.attributeDump + "\n" }
    }
}
