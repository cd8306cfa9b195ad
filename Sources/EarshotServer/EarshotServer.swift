// The speech server of `earshot serve`; see `SpeechServer`. Built only with the package's Server trait
// (`swift build --traits Server`); without it this module is empty, so the default build needs none of the
// server's packages.
