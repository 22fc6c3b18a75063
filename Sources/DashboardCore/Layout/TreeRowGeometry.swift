/// Where the parts of a tree row sit horizontally, shared by the renderer and the mouse handling.
///
/// ```
/// ▾ 4f2c1a9e …            depth 0: expander at column 0
///   └─▾ build …           depth 1: guide at 2, expander at 4
///      ├─▾ #1 …           depth 2: guide at 5, expander at 7
///      │  ├─ ✓ Clone …    depth 3: guide at 8, icon at 11
/// ```
public enum TreeRowGeometry {
    /// The column of the guide (`├─`) of a row at `depth` ≥ 1.
    public static func guideColumn(depth: Int) -> Int { 2 + 3 * (depth - 1) }

    /// The column of the ▸/▾ of a row at `depth`.
    public static func expanderColumn(depth: Int) -> Int { depth == 0 ? 0 : guideColumn(depth: depth) + 2 }
}
