import EarshotIO
import Foundation

/// The per-epoch record of a training run — loss, validation CER/WER, learning rate, skipped batches — read
/// from where `earshot train` leaves it: a checkpoint folder (its `last.safetensors`), a checkpoint file
/// (the `TrainingState.history` in its metadata), or the JSON lines `earshot train --json` prints.
public enum TrainingHistory {
    /// The checkpoint a folder's history is read from (`Trainer.lastCheckpointPath`).
    public static let checkpointName = "last.safetensors"

    /// The finished epochs recorded at `path`, in order.
    /// 1. A folder: its `last.safetensors`.
    /// 2. A file starting with a safetensors header: a checkpoint.
    /// 3. Any other file: JSON lines of `earshot train --json`, one object per epoch.
    /// - Throws: `TrainingHistoryError` naming the path and the cause (missing, not a checkpoint, a line that
    ///   is not an epoch, no finished epoch).
    public static func read(path: String) throws(TrainingHistoryError) -> [EpochSummary] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw TrainingHistoryError(path: path, cause: "no such file or folder")
        }
        let epochs: [EpochSummary]
        if isFolder.boolValue {
            let checkpoint = URL(fileURLWithPath: path).appendingPathComponent(checkpointName).path
            guard FileManager.default.fileExists(atPath: checkpoint) else {
                throw TrainingHistoryError(
                    path: path,
                    cause: "no training history: no \(checkpointName) in it (a checkpoint folder of 'earshot train')")
            }
            epochs = try fromCheckpoint(checkpoint)
        } else {
            let data: Data
            do { data = try FileContents.read(path: path) } catch {
                throw TrainingHistoryError(path: path, cause: error.message)
            }
            epochs = try isSafeTensors(data) ? fromCheckpoint(path) : fromJSONLines(data, path: path)
        }
        guard !epochs.isEmpty else {
            throw TrainingHistoryError(path: path, cause: "no training history: no epoch has finished yet")
        }
        return epochs
    }

    /// The history in a checkpoint's metadata.
    private static func fromCheckpoint(_ path: String) throws(TrainingHistoryError) -> [EpochSummary] {
        do {
            return try Checkpoint.read(path: path).state.history
        } catch let error as TrainingError {
            throw TrainingHistoryError(path: path, cause: error.description.dropPrefix(path + ": "))
        } catch {
            throw TrainingHistoryError(path: path, cause: "\(error)".dropPrefix(path + ": "))
        }
    }

    /// A safetensors file begins with the 8-byte little-endian length of its JSON header (which fits in the
    /// file; eight bytes of text read that way are far larger than any text file), then `{`.
    private static func isSafeTensors(_ data: Data) -> Bool {
        guard data.count > 8, data[data.startIndex + 8] == UInt8(ascii: "{") else { return false }
        let headerLength = data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return headerLength <= UInt64(data.count - 8)
    }

    /// One epoch per non-empty line: `{"epoch": n (from 1), "loss" (null: every batch skipped), "cer", "wer",
    /// "seconds"` and, from newer runs, `"learning_rate", "skipped_batches"}`.
    private static func fromJSONLines(_ data: Data, path: String) throws(TrainingHistoryError) -> [EpochSummary] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw TrainingHistoryError(
                path: path, cause: "neither a checkpoint nor UTF-8 JSON lines of 'earshot train --json'")
        }
        var epochs: [EpochSummary] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            // A null loss is an epoch whose every batch was skipped.
            let loss = object?["loss"] is NSNull ? Double.nan : object?["loss"] as? Double
            guard let object, let epoch = object["epoch"] as? Int, epoch >= 1, let loss,
                let cer = object["cer"] as? Double, let wer = object["wer"] as? Double
            else {
                throw TrainingHistoryError(
                    path: path,
                    cause:
                        "line \(index + 1) is not an epoch of 'earshot train --json' (an object with epoch, loss, cer, wer)"
                )
            }
            epochs.append(
                EpochSummary(
                    epoch: epoch - 1, trainingLoss: loss, validationCER: cer, validationWER: wer,
                    seconds: object["seconds"] as? Double ?? 0,
                    learningRate: (object["learning_rate"] as? Double).map { Float($0) },
                    skippedBatches: object["skipped_batches"] as? Int))
        }
        return epochs
    }
}

/// A training history that cannot be read: the path and the cause.
public struct TrainingHistoryError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var cause: String

    public init(path: String, cause: String) {
        self.path = path
        self.cause = cause
    }

    public var description: String { "\(path): \(cause)" }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
