#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Making the folders outputs go to, with the system's reason when that fails.
public enum Folder {
    /// Makes the folder `path` and any missing parents (`mkdir -p`); nothing to do when it exists.
    ///
    /// 1. An existing folder (after symbolic links) is kept; anything else there is an error.
    /// 2. A missing folder gets its parent made first, then itself.
    ///
    /// Throws `FileSystemError` naming the path that could not be made, operation "create folder": "Not a
    /// directory" (a file is in the way), "Read-only file system", "Permission denied", "No space left on
    /// device", …
    public static func create(path: String) throws(FileSystemError) {
        var status = stat()
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw failure(path, ENOTDIR) }
            return
        }
        if errno != ENOENT { throw failure(path, errno) }
        let parent = parentPath(of: path)
        if !parent.isEmpty && parent != path { try create(path: parent) }
        if mkdir(path, 0o777) != 0 && !(errno == EEXIST && isFolder(path)) { throw failure(path, errno) }
    }

    /// `path` without its last component and the slashes around it: `a/b/` → `a`, `/x` → `/`, and "" for a
    /// name in the working directory.
    static func parentPath(of path: String) -> String {
        var parent = Substring(path)
        while parent.count > 1 && parent.hasSuffix("/") { parent = parent.dropLast() }
        guard let slash = parent.lastIndex(of: "/") else { return "" }
        parent = parent[..<slash]
        while parent.count > 1 && parent.hasSuffix("/") { parent = parent.dropLast() }
        return parent.isEmpty ? "/" : String(parent)
    }

    private static func isFolder(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    private static func failure(_ path: String, _ code: Int32) -> FileSystemError {
        FileSystemError(path: path, operation: "create folder", code: code)
    }
}
