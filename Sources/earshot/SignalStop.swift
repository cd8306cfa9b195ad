import Dispatch
import Foundation

/// Turns SIGINT (Ctrl-C) and SIGTERM into a request to stop cleanly: `onSignal` runs once on a
/// background queue; a second signal exits at once. Remembers which signal came, for the exit status
/// scripts expect (130 for SIGINT, 143 for SIGTERM).
final class SignalStop: @unchecked Sendable {
    var onSignal: () -> Void = {}
    private(set) var exitCode: Int32 = 130
    private var sources: [DispatchSourceSignal] = []
    private var received = false
    private let queue = DispatchQueue(label: "earshot.signals")

    init() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)  // the dispatch source receives it instead of the default handler
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [unowned self] in self.handle(sig) }
            source.resume()
            sources.append(source)
        }
    }

    private func handle(_ sig: Int32) {
        if received {
            Terminal.error("\nearshot: second signal: exiting without a checkpoint")
            exit(128 + sig)
        }
        received = true
        exitCode = 128 + sig
        Terminal.error("\nearshot: stopping after this batch and writing a checkpoint (again to quit at once)")
        onSignal()
    }
}
