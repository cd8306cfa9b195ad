// `import Earshot` is all an app needs: the types its API takes and returns come from the modules below
// (audio errors, feature options, latency control, beam-search options, hotwords, language models, file errors).
@_exported import EarshotAudio
@_exported import EarshotDecoding
@_exported import EarshotFeatures
@_exported import EarshotIO
@_exported import EarshotNN
