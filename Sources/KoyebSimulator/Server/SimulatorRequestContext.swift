import Hummingbird
import NIOCore

/// The request context of the simulator's routes: Hummingbird's core storage plus the connection, which fault
/// injection closes to simulate a dropped request.
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
