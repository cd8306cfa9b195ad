#if Server
    import Foundation
    import Hummingbird

    /// An error answered in the OpenAI API's shape, `{"error": {"message", "type", "param", "code"}}`, with its
    /// HTTP status: what the `openai` clients parse into their `APIError` subclasses (400 `BadRequestError`, 413,
    /// 429 `RateLimitError`, …).
    struct APIError: Error, Sendable, CustomStringConvertible {
        var status: HTTPResponse.Status
        /// What went wrong and, where it helps, what to do; names the field or file and the cause.
        var message: String
        /// OpenAI's `type`: "invalid_request_error" for the client's mistakes, "server_error" for ours.
        var type: String
        /// The form field at fault, or nil.
        var param: String?
        /// A machine-readable code, or nil (OpenAI's, where one fits: "rate_limit_exceeded", …).
        var code: String?

        var description: String { "\(status.code) \(message)" }

        /// 400 for a bad field or file.
        static func invalid(_ message: String, param: String?, code: String? = nil) -> APIError {
            APIError(status: .badRequest, message: message, type: "invalid_request_error", param: param, code: code)
        }

        /// The JSON body.
        var body: ByteBuffer {
            struct Envelope: Encodable {
                struct Detail: Encodable {
                    var message: String
                    var type: String
                    var param: String?
                    var code: String?

                    func encode(to encoder: any Encoder) throws {
                        // OpenAI writes null for an absent param or code, not nothing.
                        var container = encoder.container(keyedBy: CodingKeys.self)
                        try container.encode(message, forKey: .message)
                        try container.encode(type, forKey: .type)
                        try container.encode(param, forKey: .param)
                        try container.encode(code, forKey: .code)
                    }
                    private enum CodingKeys: String, CodingKey { case message, type, param, code }
                }
                var error: Detail
            }
            let envelope = Envelope(error: .init(message: message, type: type, param: param, code: code))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return ByteBuffer(data: (try? encoder.encode(envelope)) ?? Data())
        }

        var response: Response {
            Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }

        /// Any error a route can throw, as the API answers it: ours as they are, Hummingbird's `HTTPError`
        /// (413 from a body over the limit, 404, …) with its status and message, anything else as a 500 naming it.
        static func from(_ error: any Error) -> APIError {
            switch error {
            case let error as APIError:
                return error
            case let error as any HTTPResponseError:
                var message = (error as? HTTPError)?.body ?? error.status.reasonPhrase
                if error.status == .contentTooLarge { message = "the request body is larger than the server's limit" }
                let type = error.status.code < 500 ? "invalid_request_error" : "server_error"
                return APIError(status: error.status, message: message, type: type, param: nil, code: nil)
            case let error as DecodingPoolError:
                switch error {
                case .full:
                    return APIError(
                        status: .tooManyRequests, message: "\(error); retry later", type: "requests", param: nil,
                        code: "rate_limit_exceeded")
                case .stopped:
                    return .shuttingDown
                }
            default:
                return APIError(
                    status: .internalServerError, message: "\(error)", type: "server_error", param: nil, code: nil)
            }
        }

        /// 503 while the server drains on SIGTERM.
        static let shuttingDown = APIError(
            status: .serviceUnavailable, message: "the server is shutting down; retry on another instance",
            type: "server_error", param: nil, code: "shutting_down")
    }

    /// Answers every error of the routes after it in the API's JSON shape (`APIError.from`).
    struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
            async throws -> Response
        {
            do {
                return try await next(request, context)
            } catch {
                return APIError.from(error).response
            }
        }
    }
#endif
