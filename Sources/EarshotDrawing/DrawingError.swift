#if Plot
    /// A drawing or image file that could not be made or read: what, and Cairo's reason.
    public enum DrawingError: Error, Equatable, Sendable, CustomStringConvertible {
        /// A canvas of this size cannot be created (too large for memory or for Cairo's 32767-pixel limit).
        case canvas(width: Int, height: Int, reason: String)
        /// The canvas could not be encoded as PNG, or its drawing failed (Cairo stops at its first error).
        case encoding(reason: String)
        /// The file at `path` could not be read as a PNG image.
        case reading(path: String, reason: String)

        public var description: String {
            switch self {
            case .canvas(let width, let height, let reason):
                return "cannot create a \(width)×\(height) image: \(reason)"
            case .encoding(let reason): return "cannot encode the image as PNG: \(reason)"
            case .reading(let path, let reason): return "\(path): not a readable PNG image: \(reason)"
            }
        }
    }
#endif
