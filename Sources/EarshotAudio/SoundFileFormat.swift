import CSndFile

/// A libsndfile format code, container | encoding (`SF_FORMAT_WAV | SF_FORMAT_PCM_16`), and its name in words.
///
/// Internal: the public API speaks of formats only through `AudioInfo.format` (a string) and
/// `AudioFile.Encoding`. Tests use the named constants to write every format the reader must accept.
struct SoundFileFormat: Equatable, Sendable {
    /// The full libsndfile code, as in `SF_INFO.format`.
    var code: Int32

    init(code: Int32) { self.code = code }
    init(_ container: Int, _ encoding: Int) { self.code = Int32(container | encoding) }

    var container: Int32 { code & Int32(SF_FORMAT_TYPEMASK) }
    var encoding: Int32 { code & Int32(SF_FORMAT_SUBMASK) }

    /// RIFF WAVE (plain or WAVEFORMATEX): the containers whose header `WAVHeader` can check for truncation.
    var isRIFFWave: Bool { container == Int32(SF_FORMAT_WAV) || container == Int32(SF_FORMAT_WAVEX) }

    /// True for encodings that store floats, the only ones that can hold NaN or infinity.
    var isFloatingPoint: Bool { encoding == Int32(SF_FORMAT_FLOAT) || encoding == Int32(SF_FORMAT_DOUBLE) }

    /// Bytes each sample of one channel takes in encodings of fixed size (PCM, float, µ-law, A-law); `nil` for
    /// compressed ones (ADPCM, GSM, Vorbis, …).
    var bytesPerSample: Int? { Self.sampleBytes[encoding] }

    /// False for the encodings libsndfile (1.2) decodes past the end of a pipe: reading one from a pipe, it fills
    /// each block a short read left incomplete and goes on to the length the header claims, so a few hundred
    /// bytes can become hours of made-up audio (FUZZING.md, finding 10). True for the encodings of fixed sample
    /// size (PCM, float, µ-law, A-law; FLAC's are PCM) and the self-framed codecs (Vorbis, Opus, MPEG), which end
    /// where the data ends; false for the block codecs (IMA, MS and NMS ADPCM, GSM 6.10, G.721/G.723, VOX, DWVW,
    /// ALAC), tried or of the same make. A regular file is read to its real end whatever its encoding.
    var canBeReadFromPipe: Bool { bytesPerSample != nil || Self.selfFramedEncodings.contains(encoding) }

    private static let selfFramedEncodings: Set<Int32> = [
        Int32(SF_FORMAT_VORBIS), Int32(SF_FORMAT_OPUS), Int32(SF_FORMAT_MPEG_LAYER_I), Int32(SF_FORMAT_MPEG_LAYER_II),
        Int32(SF_FORMAT_MPEG_LAYER_III),
    ]

    private static let sampleBytes: [Int32: Int] = [
        Int32(SF_FORMAT_PCM_S8): 1, Int32(SF_FORMAT_PCM_U8): 1, Int32(SF_FORMAT_PCM_16): 2, Int32(SF_FORMAT_PCM_24): 3,
        Int32(SF_FORMAT_PCM_32): 4, Int32(SF_FORMAT_FLOAT): 4, Int32(SF_FORMAT_DOUBLE): 8, Int32(SF_FORMAT_ULAW): 1,
        Int32(SF_FORMAT_ALAW): 1,
    ]

    static let wavPCMU8 = SoundFileFormat(SF_FORMAT_WAV, SF_FORMAT_PCM_U8)
    static let wavPCM16 = SoundFileFormat(SF_FORMAT_WAV, SF_FORMAT_PCM_16)
    static let wavPCM24 = SoundFileFormat(SF_FORMAT_WAV, SF_FORMAT_PCM_24)
    static let wavPCM32 = SoundFileFormat(SF_FORMAT_WAV, SF_FORMAT_PCM_32)
    static let wavFloat = SoundFileFormat(SF_FORMAT_WAV, SF_FORMAT_FLOAT)
    static let wavDouble = SoundFileFormat(SF_FORMAT_WAV, SF_FORMAT_DOUBLE)
    static let flac16 = SoundFileFormat(SF_FORMAT_FLAC, SF_FORMAT_PCM_16)
    static let flac24 = SoundFileFormat(SF_FORMAT_FLAC, SF_FORMAT_PCM_24)
    static let oggVorbis = SoundFileFormat(SF_FORMAT_OGG, SF_FORMAT_VORBIS)
    static let wavIMAADPCM = SoundFileFormat(SF_FORMAT_WAV, SF_FORMAT_IMA_ADPCM)
    static let wavMSADPCM = SoundFileFormat(SF_FORMAT_WAV, SF_FORMAT_MS_ADPCM)
    static let wavG721 = SoundFileFormat(SF_FORMAT_WAV, SF_FORMAT_G721_32)

    /// E.g. "WAV PCM 16-bit", "FLAC 24-bit", "OGG Vorbis"; unknown codes fall back to libsndfile's names.
    var description: String {
        let containerName = Self.containerNames[container] ?? Self.libsndfileName(container, major: true)
        let encodingName = Self.encodingNames[encoding] ?? Self.libsndfileName(encoding, major: false)
        if container == Int32(SF_FORMAT_FLAC), let bits = Self.pcmBits[encoding] {
            return "FLAC \(bits)-bit"  // FLAC is always PCM; "FLAC PCM 16-bit" says it twice.
        }
        return "\(containerName) \(encodingName)"
    }

    private static let pcmBits: [Int32: Int] = [
        Int32(SF_FORMAT_PCM_S8): 8, Int32(SF_FORMAT_PCM_16): 16, Int32(SF_FORMAT_PCM_24): 24,
        Int32(SF_FORMAT_PCM_32): 32,
    ]

    private static let containerNames: [Int32: String] = [
        Int32(SF_FORMAT_WAV): "WAV", Int32(SF_FORMAT_WAVEX): "WAV", Int32(SF_FORMAT_AIFF): "AIFF",
        Int32(SF_FORMAT_AU): "AU", Int32(SF_FORMAT_RAW): "raw", Int32(SF_FORMAT_W64): "W64",
        Int32(SF_FORMAT_FLAC): "FLAC", Int32(SF_FORMAT_CAF): "CAF", Int32(SF_FORMAT_OGG): "OGG",
        Int32(SF_FORMAT_RF64): "RF64", Int32(SF_FORMAT_MPEG): "MPEG",
    ]

    private static let encodingNames: [Int32: String] = [
        Int32(SF_FORMAT_PCM_S8): "PCM 8-bit", Int32(SF_FORMAT_PCM_U8): "PCM 8-bit unsigned",
        Int32(SF_FORMAT_PCM_16): "PCM 16-bit", Int32(SF_FORMAT_PCM_24): "PCM 24-bit",
        Int32(SF_FORMAT_PCM_32): "PCM 32-bit", Int32(SF_FORMAT_FLOAT): "float 32-bit",
        Int32(SF_FORMAT_DOUBLE): "float 64-bit", Int32(SF_FORMAT_ULAW): "µ-law", Int32(SF_FORMAT_ALAW): "A-law",
        Int32(SF_FORMAT_IMA_ADPCM): "IMA ADPCM", Int32(SF_FORMAT_MS_ADPCM): "MS ADPCM",
        Int32(SF_FORMAT_GSM610): "GSM 6.10", Int32(SF_FORMAT_VORBIS): "Vorbis", Int32(SF_FORMAT_OPUS): "Opus",
        Int32(SF_FORMAT_MPEG_LAYER_III): "MP3", Int32(SF_FORMAT_G721_32): "G.721 ADPCM",
        Int32(SF_FORMAT_G723_24): "G.723 ADPCM 24 kbit/s", Int32(SF_FORMAT_G723_40): "G.723 ADPCM 40 kbit/s",
    ]

    /// libsndfile's own name for a container or encoding code, or the code in hex if it has none.
    private static func libsndfileName(_ code: Int32, major: Bool) -> String {
        var formatInfo = SF_FORMAT_INFO(format: code, name: nil, extension: nil)
        let command = Int32(major ? SFC_GET_FORMAT_MAJOR : SFC_GET_FORMAT_SUBTYPE)
        // SFC_GET_FORMAT_MAJOR/SUBTYPE look up by `format` only when it is a valid index, so search the list.
        var count: Int32 = 0
        let countCommand = Int32(major ? SFC_GET_FORMAT_MAJOR_COUNT : SFC_GET_FORMAT_SUBTYPE_COUNT)
        sf_command(nil, countCommand, &count, Int32(MemoryLayout<Int32>.size))
        for index in 0..<count {
            formatInfo.format = index
            guard sf_command(nil, command, &formatInfo, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0 else {
                continue
            }
            if formatInfo.format == code, let name = formatInfo.name { return String(cString: name) }
        }
        return "format 0x" + String(code, radix: 16)
    }
}
